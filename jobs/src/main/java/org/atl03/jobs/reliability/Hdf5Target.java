package org.atl03.jobs.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.DatasetReader;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.hdf5.StorageKind;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.atl03.LocalScan;

/**
 * An ATL03 HDF5 granule: each mutant is scanned through the atl03 source's planner and partition readers
 * ({@link LocalScan}: open, metadata, segment index, chunk indexes, decode of every column of every beam), then
 * every numeric dataset of the file is read whole through {@link Hdf5File}.
 */
final class Hdf5Target extends MutatedFileTarget {

  private final Map<String, String> scanOptions;

  Hdf5Target(Path source, Path workDir, Configuration conf) throws IOException {
    super("hdf5", source, workDir, conf);
    Files.write(file, original);
    // the geolocation broadcast path too, when the granule has segment_dist_x
    Map<String, String> options = new java.util.HashMap<>(Map.of("readsInFlight", "1"));
    options.put("datasets", "segment_dist_x");
    try {
      LocalScan.run(List.of(file.toString()), options, conf);
    } catch (RuntimeException | IOException e) {
      options.remove("datasets");
    }
    this.scanOptions = Map.copyOf(options);
    mutateWith(new ByteMutator(original, chunkRanges(), true));
  }

  /** [start, end) of every stored chunk of the unmutated file: what counts as data, not metadata. */
  private List<long[]> chunkRanges() throws IOException {
    List<long[]> ranges = new ArrayList<>();
    try (Hdf5File h5 = open()) {
      for (String path : h5.datasetPaths()) {
        if (h5.dataset(path).storage() == StorageKind.CHUNKED) {
          for (ChunkDescriptor c : h5.chunkIndex(path).chunks()) {
            ranges.add(new long[] {c.fileOffset(), c.fileOffset() + c.storedSize()});
          }
        }
      }
    }
    return ranges;
  }

  @Override
  public Observation read(byte[] bytes) throws Exception {
    Files.write(file, bytes);
    Map<String, Long> rows = new TreeMap<>();
    Map<String, Long> sums = new TreeMap<>();
    LocalScan.Result scan = LocalScan.run(List.of(file.toString()), scanOptions, conf);
    scan.rows().forEach((k, v) -> rows.put("scan:" + k, v));
    scan.checksums().forEach((k, v) -> sums.put("scan:" + k, v));
    try (Hdf5File h5 = open()) {
      for (String path : h5.datasetPaths()) {
        DatasetInfo info = h5.dataset(path);
        if (!info.type().isNumeric() || info.storage() == StorageKind.VIRTUAL) {
          continue;
        }
        try (DatasetReader reader = h5.reader(path)) {
          byte[] values = reader.read(0, reader.rows()).array();
          CRC32 crc = new CRC32();
          crc.update(values);
          rows.put(path, reader.rows());
          sums.put(path, crc.getValue());
        }
      }
    }
    return new Observation(rows, sums);
  }

  /** The target file, opened as every granule is. */
  private Hdf5File open() throws IOException {
    return Granules.openHdf5(file.toUri().toString(), new HadoopStorage(conf), GranuleSettings.from(conf));
  }
}
