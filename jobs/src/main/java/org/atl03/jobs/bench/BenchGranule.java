package org.atl03.jobs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;

/**
 * The benchmark's synthetic granule, cached under {@code work/bench/} in a directory named by its parameters:
 * generating the default one takes over a minute, reruns reuse it.
 */
public final class BenchGranule {

  private BenchGranule() {}

  public static Path obtain(Path work, long photonsPerStrongBeam, long seed, Layout layout, PrintStream out) {
    Path dir = work.resolve("granule-" + layout.flag() + "-pps" + photonsPerStrongBeam + "-seed" + seed);
    try {
      Path cached = single(dir);
      if (cached != null) {
        out.printf("== granule: cached %s%n", cached);
        return cached;
      }
      // generated beside the cache and renamed into place, so an interrupted run leaves no half granule behind
      Path partial = work.resolve(dir.getFileName() + ".partial");
      Directories.delete(partial);
      out.printf("== granule: generating %d photons per strong beam into %s%n", photonsPerStrongBeam, dir);
      List<Path> written = Generator.generate(new GeneratorOptions(partial, 1, photonsPerStrongBeam, seed, layout));
      if (written.size() != 1) {
        throw new IllegalStateException("the generator wrote " + written.size() + " granules, expected 1");
      }
      Directories.publish(partial, dir);
      return dir.resolve(written.get(0).getFileName());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The granule's part of a benchmark's provenance: which file, how big, and how it was generated if it was. */
  public static Map<String, Object> describe(Path file, long bytes, long photons, boolean generated,
      long photonsPerStrongBeam, long seed) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("path", file.toAbsolutePath().normalize().toString());
    info.put("bytes", bytes);
    info.put("photons", photons);
    info.put("generated", generated);
    if (generated) {
      info.put("photons_per_strong_beam", photonsPerStrongBeam);
      info.put("seed", seed);
      info.put("layout", Layout.V006.flag());
    }
    return info;
  }

  private static Path single(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> granules = files.filter(p -> p.getFileName().toString().endsWith(".h5")).toList();
      return granules.size() == 1 ? granules.get(0) : null;
    }
  }
}
