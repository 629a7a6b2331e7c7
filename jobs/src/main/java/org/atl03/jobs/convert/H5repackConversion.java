package org.atl03.jobs.convert;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.spark.GranuleSettings;

/**
 * HDF5 granules rewritten by the HDF5 library's own {@code h5repack} (hdf5-tools), one file per granule under
 * {@code OUT/<name>/}: the same objects, attributes and values with a cloud-friendlier physical layout.
 *
 * <ul>
 *   <li>{@code h5repack}: paged file-space aggregation with 8 MiB pages ({@code -S PAGE -G 8388608}); chunks and
 *       filters unchanged, so metadata is gathered into a few pages and data chunks are copied as they are.
 *   <li>{@code v007}: NSIDC's release-007 layout: the photon-rate datasets of {@code gtx/heights} (first dimension =
 *       the beam's photon count) rechunked to 100,000 photons (N×5 → 100000×5), filters kept, plus 8 MiB pages.
 * </ul>
 *
 * h5repack writes {@code .<granule>.<random>.partial} beside the output and the file is renamed onto its final name
 * only when h5repack succeeded; a failed or interrupted run deletes the partial file, a killed one leaves only a
 * hidden {@code .partial} that no {@code *.h5} glob matches.
 */
public final class H5repackConversion implements Conversion {

  static final String H5REPACK = "/usr/bin/h5repack";
  static final long PAGE_SIZE = 8L * 1024 * 1024;
  static final long V007_PHOTON_CHUNK = 100_000;

  private final String name;
  private final boolean rechunkPhotons;

  private H5repackConversion(String name, boolean rechunkPhotons) {
    this.name = name;
    this.rechunkPhotons = rechunkPhotons;
  }

  /** Paged aggregation only. */
  static H5repackConversion paged() {
    return new H5repackConversion("h5repack", false);
  }

  /** Release-007 photon chunks plus paged aggregation. */
  static H5repackConversion v007() {
    return new H5repackConversion("v007", true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean needsSpark() {
    return false;
  }

  @Override
  public List<String> convert(List<String> granules, String out, ConvertSettings settings, SparkSession spark)
      throws Exception {
    if (!Files.isExecutable(Path.of(H5REPACK))) {
      throw new IllegalStateException(H5REPACK + " is missing: apt-get install hdf5-tools (bin/ensure-system-deps)");
    }
    Path dir = localPath(out).resolve(name);
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>();
    for (String granule : granules) {
      Path in = localPath(granule);
      Path target = dir.resolve(in.getFileName().toString());
      long start = System.nanoTime();
      List<String> command = new ArrayList<>(List.of(H5REPACK));
      int rechunked = 0;
      if (rechunkPhotons) {
        Map<String, List<String>> layouts = photonChunkLayouts(granule, settings);
        for (Map.Entry<String, List<String>> e : layouts.entrySet()) {
          // one -l per chunk shape, listing every dataset that gets it
          command.add("-l");
          command.add(String.join(",", e.getValue()) + ":CHUNK=" + e.getKey());
          rechunked += e.getValue().size();
        }
        if (rechunked == 0) {
          throw new IllegalArgumentException(granule + ": no chunked photon-rate dataset under any gtx/heights");
        }
      }
      command.addAll(List.of("-S", "PAGE", "-G", Long.toString(PAGE_SIZE)));
      repack(command, in, target);
      lines.add(String.format(Locale.ROOT, "%s -> %s: %,d bytes (original %,d)%s, %.2f s", granule, target,
          Files.size(target), Files.size(in), rechunkPhotons ? ", " + rechunked + " photon datasets rechunked" : "",
          (System.nanoTime() - start) / 1e9));
    }
    return lines;
  }

  /** The paged copy {@code convert --to h5repack} writes (8 MiB pages), atomically; for benchmarks. */
  public static void pagedCopy(Path in, Path target) throws IOException, InterruptedException {
    repack(List.of(H5REPACK, "-S", "PAGE", "-G", Long.toString(PAGE_SIZE)), in, target);
  }

  /** Runs h5repack into a hidden partial file beside {@code target}, then renames it onto {@code target}. */
  static void repack(List<String> options, Path in, Path target) throws IOException, InterruptedException {
    Path partial = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
    List<String> command = new ArrayList<>(options);
    command.add(in.toString());
    command.add(partial.toString());
    // output to a file, not a pipe: waitFor() is then the only blocking call, and it answers an interrupt
    Path log = Files.createTempFile("h5repack", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      int exit = process.waitFor();
      if (exit != 0) {
        String output = Files.readString(log, StandardCharsets.UTF_8).trim();
        throw new IOException("h5repack failed on " + in + " (exit " + exit + "): "
            + (output.isEmpty() ? "no output" : output));
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor();
      }
      Files.deleteIfExists(partial);
      Files.deleteIfExists(log);
    }
  }

  /**
   * The photon-rate datasets of every beam's heights group that are chunked, grouped by their release-007 chunk
   * shape ("100000" or "100000x5"); h5repack object paths have no leading slash.
   */
  static Map<String, List<String>> photonChunkLayouts(String granule, ConvertSettings settings) throws IOException {
    Map<String, List<String>> byShape = new TreeMap<>();
    try (Hdf5File file = Granules.openHdf5(granule, new HadoopStorage(settings.hadoopConf()),
        GranuleSettings.from(settings.hadoopConf()))) {
      for (String beam : Atl03Granule.BEAMS) {
        String heights = beam + "/heights";
        if (!file.hasDataset(Atl03Granule.heights(beam, "delta_time"))) {
          continue;
        }
        long photons = file.dataset(Atl03Granule.heights(beam, "delta_time")).rows();
        Node node = file.hdf().getByPath(heights);
        if (!(node instanceof Group group)) {
          throw new IllegalArgumentException(granule + ": " + heights + " is not a group");
        }
        for (Node child : group.getChildren().values()) {
          if (!(child instanceof Dataset dataset) || dataset.isScalar() || dataset.getDimensions().length == 0
              || dataset.getDimensions()[0] != photons || !(child instanceof io.jhdf.api.dataset.ChunkedDataset)) {
            continue;
          }
          int[] dims = dataset.getDimensions();
          long[] max = dataset.getMaxSize();
          StringBuilder shape = new StringBuilder();
          for (int d = 0; d < dims.length; d++) {
            // along track 100,000 (at most the maximum size of a fixed dimension), trailing dimensions whole
            long extent = d == 0 ? V007_PHOTON_CHUNK : dims[d];
            if (max != null && d < max.length && max[d] >= 0) {
              extent = Math.max(1, Math.min(extent, max[d]));
            }
            shape.append(d == 0 ? "" : "x").append(extent);
          }
          byShape.computeIfAbsent(shape.toString(), k -> new ArrayList<>()).add(heights + "/" + child.getName());
        }
      }
    }
    byShape.values().forEach(list -> list.sort(null));
    return byShape;
  }

  private static Path localPath(String location) {
    java.net.URI uri = new org.apache.hadoop.fs.Path(location).toUri();
    if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
      throw new IllegalArgumentException("h5repack works on local files only: " + location);
    }
    return Path.of(uri.getPath());
  }

  @Override
  public org.apache.spark.sql.Dataset<Row> read(SparkSession spark, String out) {
    return spark.read().format("atl03").load(new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(out), name)
        + "/*.h5");
  }
}
