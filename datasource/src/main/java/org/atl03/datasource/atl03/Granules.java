package org.atl03.datasource.atl03;

import java.io.IOException;
import java.util.List;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.hdf5.MetadataCachePlan;
import org.atl03.datasource.hdf5.ReadOptions;
import org.atl03.datasource.io.FileVersion;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.io.StoredFile;

/**
 * The one way to open a granule: by its suffix, HDF5 or kerchunk references ({@code .json}), with the read options
 * every reader of this project shares (the scan's planner and tasks, the conversions, the benchmarks, the fuzzers).
 */
public final class Granules {

  /** What a granule's file may be called; a directory is listed for these. */
  public static final List<String> SUFFIXES = List.of(".h5", ".hdf5", ".he5", ".json");
  public static final List<String> HDF5_SUFFIXES = List.of(".h5", ".hdf5", ".he5");

  private Granules() {}

  /** Opens a granule, its reads counted by {@code metrics}. */
  public static Atl03Granule open(String location, Storage storage, GranuleReadOptions options, ReadMetrics metrics)
      throws IOException {
    if (location.endsWith(".json")) {
      return new Atl03Granule(RefsGranuleFile.open(location, storage, metrics, options.refs()));
    }
    return openHdf5(storage.open(location), storage, options, metrics);
  }

  /** Opens a granule as the store described it while listing, asking it nothing more. */
  public static Atl03Granule open(StoredFile file, Storage storage, GranuleReadOptions options, ReadMetrics metrics)
      throws IOException {
    if (file.location().endsWith(".json")) {
      return open(file.location(), storage, options, metrics);
    }
    return openHdf5(storage.open(file), storage, options, metrics);
  }

  /**
   * Opens an HDF5 granule expected at {@code version} (as a catalog recorded it), asking the store nothing; a
   * changed file fails with {@code StaleFileException} where the store tells at no cost (see
   * {@link Storage#openVersion}).
   */
  public static Atl03Granule openVersion(String location, FileVersion version, Storage storage,
      GranuleReadOptions options, ReadMetrics metrics) throws IOException {
    return openHdf5(storage.openVersion(location, version), storage, options, metrics);
  }

  /** Opens an HDF5 file (a granule or not) with the granules' metadata read options. */
  public static Hdf5File openHdf5(String location, Storage storage, GranuleReadOptions options) throws IOException {
    return Hdf5File.open(storage.open(location), readOptions(location, storage, options));
  }

  private static Atl03Granule openHdf5(InputFile file, Storage storage, GranuleReadOptions options,
      ReadMetrics metrics) throws IOException {
    StoredFile stored = file.stored();
    try {
      Hdf5File h5 = Hdf5File.open(metrics.meter(file), readOptions(file.location(), storage, options));
      return new Atl03Granule(new Hdf5GranuleFile(h5, stored));
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * How a granule's metadata is read: in blocks of {@link GranuleReadOptions#metadataBlockSize()}, by default
   * {@value #LOCAL_METADATA_BLOCK} on local disk and {@value #REMOTE_METADATA_BLOCK} elsewhere, where a round trip
   * costs more than the extra bytes (20 ms is 2 MB at 100 MB/s) and a non-paged granule's metadata lies in a few
   * clusters (the first megabytes, the B-tree nodes among the data). The cache keeps {@value #METADATA_CACHE_BYTES}
   * bytes; a paged granule is read in its pages (see {@code MetadataCachePlan}).
   */
  static ReadOptions readOptions(String location, Storage storage, GranuleReadOptions options) {
    long block = options.metadataBlockSize() > 0 ? options.metadataBlockSize()
        : storage.isLocal(location) ? LOCAL_METADATA_BLOCK : REMOTE_METADATA_BLOCK;
    if (block < 512 || block > MetadataCachePlan.MAX_PAGE_BLOCK) {
      throw new IllegalArgumentException(HadoopSettings.METADATA_BLOCK_SIZE + " must be 512 B to "
          + MetadataCachePlan.MAX_PAGE_BLOCK + " B, got " + block);
    }
    return ReadOptions.DEFAULT.withMetadataCache((int) block, (int) Math.max(2, METADATA_CACHE_BYTES / block));
  }

  /**
   * Range reads a task keeps in flight when the readsInFlight option is not given: on remote storage each read
   * mostly waits its round trip, so more of them overlap (181 chunk reads at 20 ms: 0.41 s with 8 per task, 0.19-0.38
   * s with 32); on local disk a few keep the disk busy.
   */
  public static int readsInFlight(String location, Storage storage) {
    return storage.isLocal(location) ? LOCAL_READS_IN_FLIGHT : REMOTE_READS_IN_FLIGHT;
  }

  public static final int LOCAL_READS_IN_FLIGHT = 8;
  public static final int REMOTE_READS_IN_FLIGHT = 32;
  public static final int LOCAL_METADATA_BLOCK = 64 * 1024;
  public static final int REMOTE_METADATA_BLOCK = 1024 * 1024;
  static final long METADATA_CACHE_BYTES = 16L * 1024 * 1024;
}
