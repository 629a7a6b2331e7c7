package org.atl03.jobs.bench.matrix;

import java.util.Arrays;

/**
 * The storage formats of the matrix (its columns) and where each lives under the converted directory. A format is
 * per granule (one file each: a granule subset is a file subset) or one dataset holding every granule.
 */
enum BenchFormat {
  HDF5("hdf5", "HDF5 v006 (original)", null, null, true),
  HDF5_PAGED("hdf5-paged", "HDF5 paged (h5repack -S PAGE)", "h5repack", "h5repack", true),
  HDF5_V007("hdf5-v007", "HDF5 v007 layout", "v007", "v007", true),
  REFS("refs", "kerchunk refs of the original", "refs", "refs", true),
  REFS_PAGED("refs-paged", "kerchunk refs of the paged HDF5", "refs", "refs-paged", true),
  GEOPARQUET("geoparquet", "GeoParquet 1.1", "geoparquet", "geoparquet", false),
  DELTA("delta", "Delta Lake", "delta", "delta", false),
  FLATGEOBUF("flatgeobuf", "FlatGeobuf", "flatgeobuf", "flatgeobuf", true);

  private final String key;
  private final String title;
  private final String convertTarget;
  private final String directory;
  private final boolean perGranule;

  BenchFormat(String key, String title, String convertTarget, String directory, boolean perGranule) {
    this.key = key;
    this.title = title;
    this.convertTarget = convertTarget;
    this.directory = directory;
    this.perGranule = perGranule;
  }

  String key() {
    return key;
  }

  String title() {
    return title;
  }

  /** The {@code convert --to} target that makes it, null for the original. */
  String convertTarget() {
    return convertTarget;
  }

  /** Its directory under the converted root, null for the original. */
  String directory() {
    return directory;
  }

  boolean perGranule() {
    return perGranule;
  }

  boolean isHdf5() {
    return this == HDF5 || this == HDF5_PAGED || this == HDF5_V007;
  }

  boolean isRefs() {
    return this == REFS || this == REFS_PAGED;
  }

  static BenchFormat named(String name) {
    return Arrays.stream(values()).filter(f -> f.key.equalsIgnoreCase(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown format " + name + "; known: "
            + Arrays.stream(values()).map(BenchFormat::key).toList()));
  }
}
