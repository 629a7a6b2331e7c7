package org.atl03.jobs.bench.matrix;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.bench.Directories;
import org.atl03.jobs.convert.Conversion;
import org.atl03.jobs.convert.ConvertCommand;
import org.atl03.jobs.convert.ConvertSettings;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;

/**
 * The files every cell reads: the granules (given, or generated and cached under WORK by their parameters) and
 * each format's conversion of them under WORK/converted, made by convert's own targets and timed.
 */
final class BenchInputs {

  private final List<Path> granules;
  private final Path converted;
  private final Map<BenchFormat, Map<String, Object>> conversions = new LinkedHashMap<>();

  BenchInputs(List<Path> granules, Path converted) {
    this.granules = granules.stream().map(p -> p.toAbsolutePath().normalize()).sorted().toList();
    this.converted = converted.toAbsolutePath().normalize();
  }

  List<Path> granules() {
    return granules;
  }

  Path converted() {
    return converted;
  }

  Map<BenchFormat, Map<String, Object>> conversions() {
    return conversions;
  }

  /** Synthetic granules for the config, generated once into WORK/granules-n..-pps..-seed.. and reused after. */
  static List<Path> generated(Path work, BenchConfig config, PrintStream out) {
    return generated(work, config.granuleCount(), config.photonsPerStrongBeam(), config.seed(), out);
  }

  /** {@code count} synthetic v006 granules, generated once into WORK/granules-n..-pps..-seed.. and reused after. */
  static List<Path> generated(Path work, int count, long photonsPerStrongBeam, long seed, PrintStream out) {
    Path dir = work.resolve("granules-n" + count + "-pps" + photonsPerStrongBeam + "-seed" + seed);
    try {
      List<Path> cached = h5Files(dir);
      if (cached.size() == count) {
        out.printf("== generate: %d cached granule(s) in %s%n", cached.size(), dir);
        return cached;
      }
      Path partial = work.resolve(dir.getFileName() + ".partial");
      Directories.delete(partial);
      out.printf("== generate: %d synthetic granule(s), %,d photons per strong beam, into %s%n", count,
          photonsPerStrongBeam, dir);
      long started = System.nanoTime();
      Generator.generate(new GeneratorOptions(partial, count, photonsPerStrongBeam, seed, Layout.V006));
      Directories.publish(partial, dir);
      out.printf("   %.1f s%n", (System.nanoTime() - started) / 1e9);
      return h5Files(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Converts the granules into every format the run needs (fresh: a previous conversion is replaced). */
  void convert(List<BenchFormat> formats, SparkSession session, PrintStream out) throws Exception {
    Map<String, Conversion> targets = ConvertCommand.registered();
    // refs name their granule relative to themselves, so they resolve on every storage that serves WORK
    ConvertSettings settings = new ConvertSettings(new Configuration(), 0, true);
    List<BenchFormat> needed = new ArrayList<>(formats);
    if (needed.contains(BenchFormat.REFS_PAGED) && !needed.contains(BenchFormat.HDF5_PAGED)) {
      needed.add(0, BenchFormat.HDF5_PAGED); // refs of the paged files need them
    }
    needed.sort(Comparator.comparing(Enum::ordinal));
    List<String> granuleUris = granules.stream().map(BenchStorage.local()::uri).toList();
    Files.createDirectories(converted);
    for (BenchFormat format : needed) {
      if (format.convertTarget() == null) {
        continue;
      }
      Conversion target = targets.get(format.convertTarget());
      List<String> inputs = format == BenchFormat.REFS_PAGED
          ? paths(BenchFormat.HDF5_PAGED, granules.size()).stream().map(BenchStorage.local()::uri).toList()
          : granuleUris;
      // refs write their JSON straight into OUT; every other target makes its own directory under OUT
      Path out2 = format.isRefs() ? converted.resolve(format.directory()) : converted;
      Directories.delete(converted.resolve(format.directory()));
      out.printf("== convert: %s (%s) of %d granule(s)%n", format.key(), format.convertTarget(), inputs.size());
      long started = System.nanoTime();
      List<String> lines = target.convert(inputs, out2.toString(), settings, target.needsSpark() ? session : null);
      double seconds = (System.nanoTime() - started) / 1e9;
      lines.forEach(line -> out.println("   " + line));
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("target", format.convertTarget());
      record.put("seconds", seconds);
      record.put("bytes", Directories.bytes(converted.resolve(format.directory())));
      record.put("output", lines);
      conversions.put(format, record);
      out.printf("   %.1f s%n", seconds);
    }
  }

  /**
   * The files a cell of {@code format} reads over the first {@code count} granules: one per granule, or for
   * GeoParquet and Delta the dataset's directory (it holds every granule).
   */
  List<Path> paths(BenchFormat format, int count) {
    List<Path> subset = granules.subList(0, Math.min(count, granules.size()));
    if (format == BenchFormat.HDF5) {
      return subset;
    }
    Path dir = converted.resolve(format.directory());
    if (!format.perGranule()) {
      requireExists(dir, format);
      return List.of(dir);
    }
    List<Path> files = new ArrayList<>();
    for (Path granule : subset) {
      String stem = granule.getFileName().toString().replaceFirst("\\.(h5|hdf5|he5)$", "");
      String name = switch (format) {
        case HDF5_PAGED, HDF5_V007 -> granule.getFileName().toString();
        case REFS, REFS_PAGED -> stem + ".json";
        case FLATGEOBUF -> stem + ".fgb";
        default -> throw new IllegalStateException(format.key());
      };
      Path file = dir.resolve(name);
      requireExists(file, format);
      files.add(file);
    }
    return files;
  }

  long bytes(BenchFormat format) {
    try {
      if (format == BenchFormat.HDF5) {
        long total = 0;
        for (Path g : granules) {
          total += Files.size(g);
        }
        return total;
      }
      return Directories.bytes(converted.resolve(format.directory()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireExists(Path path, BenchFormat format) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(format.key() + ": " + path + " does not exist (convert --to "
          + format.convertTarget() + " did not write it)");
    }
  }

  private static List<Path> h5Files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".h5")).sorted().toList();
    }
  }
}
