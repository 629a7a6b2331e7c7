package org.atl03.jobs.bench.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atl03.jobs.bench.Directories;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;

/**
 * The scale benchmark's granules: generated once (small, each at its own place and time, as the generator spreads
 * them) and kept under the work directory, keyed by count, size and seed. A benchmark of N granules takes the first
 * N in {@link #granules} order, which starts with a mid-latitude granule, the one the box is chosen on.
 */
final class GranulePool {

  private GranulePool() {}

  static List<Path> obtain(Path work, int count, long photonsPerStrongBeam, long seed, PrintStream out)
      throws IOException {
    Path dir = work.resolve("granules-" + count + "-" + photonsPerStrongBeam + "-s" + seed);
    Path done = dir.resolve("_COMPLETE");
    if (!Files.exists(done)) {
      Path partial = work.resolve(dir.getFileName() + ".partial");
      Directories.delete(partial);
      out.printf("== generating %d granules of %d photons per strong beam into %s (once)%n", count,
          photonsPerStrongBeam, dir);
      long started = System.nanoTime();
      Generator.generate(new GeneratorOptions(partial, count, photonsPerStrongBeam, seed, Layout.V006));
      Files.createFile(partial.resolve("_COMPLETE"));
      Directories.publish(partial, dir);
      out.printf("   generated in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = new ArrayList<>(list.filter(p -> p.toString().endsWith(".h5")).sorted().toList());
    }
    if (files.size() < count) {
      throw new IOException(dir + " holds " + files.size() + " granules, not " + count + ": delete it to regenerate");
    }
    return granules(files);
  }

  /**
   * Generation order (the names sort by time, as generated), with the second granule first: the generator puts
   * granule 0, 3, 6, … on the northern turning point at the antimeridian, 1, 4, … at mid-latitudes at random
   * longitudes, 2, 5, … on the southern turning point, so a box on granule 1 is a box few others reach.
   */
  static List<Path> granules(List<Path> generated) {
    List<Path> ordered = new ArrayList<>(generated);
    if (ordered.size() > 1) {
      ordered.add(0, ordered.remove(1));
    }
    return ordered;
  }
}
