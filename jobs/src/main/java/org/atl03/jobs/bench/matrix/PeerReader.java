package org.atl03.jobs.bench.matrix;

import java.util.Set;

/**
 * A Python library of the matrix, whether it runs here ({@link PythonPeer}) or not ({@link UnavailablePeer}): it
 * reads some formats, on one thread and outside Spark, so Q6 (scaling over executor cores) never applies to it.
 */
abstract class PeerReader implements BenchReader {

  static final Set<BenchFormat> HDF5 = Set.of(BenchFormat.HDF5, BenchFormat.HDF5_PAGED, BenchFormat.HDF5_V007);

  private final String name;
  private final String description;
  private final Set<BenchFormat> formats;

  PeerReader(String name, String description, Set<BenchFormat> formats) {
    this.name = name;
    this.description = description;
    this.formats = formats;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final String notApplicable(BenchQuery query, BenchFormat format) {
    if (!formats.contains(format)) {
      return name + " does not read " + format.key();
    }
    if (query == BenchQuery.Q6) {
      return "Q6 scales Spark executor cores; a Python peer reads on one thread";
    }
    return null;
  }

  @Override
  public final boolean needsSpark() {
    return false;
  }
}
