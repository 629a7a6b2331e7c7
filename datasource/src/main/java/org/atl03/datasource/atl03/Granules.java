package org.atl03.datasource.spark;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.Hdf5GranuleFile;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.hdf5.MetadataCachePlan;
import org.atl03.datasource.hdf5.ReadOptions;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.kerchunk.RefsGranuleFile;
import org.atl03.datasource.kerchunk.RefsOptions;

/**
 * Opens what a path names as a granule, by its suffix: HDF5, or kerchunk references ({@code .json}, read with
 * the {@code atl03.refs.*} settings of {@link RefsOptions} from the Hadoop configuration).
 */
final class GranuleFiles {

  static final List<String> SUFFIXES = List.of(".h5", ".hdf5", ".he5", ".json");

  private GranuleFiles() {}

  /** Opens a granule, its reads counted by {@code metrics}. */
  static Atl03Granule open(String location, Configuration conf, ReadMetrics metrics) throws IOException {
    return open(location, null, conf, metrics);
  }

  /** Opens a granule the store described as {@code status} while listing, asking it nothing more. */
  static Atl03Granule open(FileStatus status, Configuration conf, ReadMetrics metrics) throws IOException {
    return open(status.getPath().toString(), status, conf, metrics);
  }

  private static Atl03Granule open(String location, FileStatus status, Configuration conf, ReadMetrics metrics)
      throws IOException {
    if (location.endsWith(".json")) {
      return new Atl03Granule(RefsGranuleFile.open(location, conf, metrics, RefsOptions.from(conf)));
    }
    Path path = new Path(location);
    HadoopInputFile file = HadoopInputFile.open(path, conf, status);
    InputFile input = metrics.meter(file);
    return new Atl03Granule(new Hdf5GranuleFile(Hdf5File.open(input, readOptions(path, conf)), file.status()));
  }

  /**
   * How a granule's metadata is read: in {@value #METADATA_BLOCK_SIZE}-byte blocks, by default
   * {@value #LOCAL_METADATA_BLOCK} on local disk and {@value #REMOTE_METADATA_BLOCK} elsewhere, where a round trip
   * costs more than the extra bytes (20 ms is 2 MB at 100 MB/s) and a non-paged granule's metadata lies in a few
   * clusters (the first megabytes, the B-tree nodes among the data). The cache keeps {@value #METADATA_CACHE_BYTES}
   * bytes; a paged granule is read in its pages (see {@code MetadataCachePlan}).
   */
  static ReadOptions readOptions(Path path, Configuration conf) {
    long block = conf.getLongBytes(METADATA_BLOCK_SIZE, local(path) ? LOCAL_METADATA_BLOCK : REMOTE_METADATA_BLOCK);
    if (block < 512 || block > MetadataCachePlan.MAX_PAGE_BLOCK) {
      throw new IllegalArgumentException(METADATA_BLOCK_SIZE + " must be 512 B to "
          + MetadataCachePlan.MAX_PAGE_BLOCK + " B, got " + block);
    }
    return ReadOptions.DEFAULT.withMetadataCache((int) block, (int) Math.max(2, METADATA_CACHE_BYTES / block));
  }

  /**
   * Range reads a task keeps in flight when the readsInFlight option is not given: on remote storage each read
   * mostly waits its round trip, so more of them overlap (181 chunk reads at 20 ms: 0.41 s with 8 per task, 0.19-0.38
   * s with 32); on local disk a few keep the disk busy.
   */
  static int readsInFlight(Path path) {
    return local(path) ? LOCAL_READS_IN_FLIGHT : REMOTE_READS_IN_FLIGHT;
  }

  static final int LOCAL_READS_IN_FLIGHT = 8;
  static final int REMOTE_READS_IN_FLIGHT = 32;

  private static boolean local(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme == null || scheme.equals("file");
  }

  static final String METADATA_BLOCK_SIZE = "atl03.metadata.block.size";
  static final int LOCAL_METADATA_BLOCK = 64 * 1024;
  static final int REMOTE_METADATA_BLOCK = 1024 * 1024;
  static final long METADATA_CACHE_BYTES = 16L * 1024 * 1024;
}
