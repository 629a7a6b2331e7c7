package org.atl03.datasource.spark.flatgeobuf;

import java.util.Set;
import org.atl03.datasource.spark.SourceOptions;

/**
 * The read options of {@code format("flatgeobuf")}. Names are case-insensitive; any other name fails the query,
 * listing these.
 */
public final class FlatGeobufReadOptions {

  /** Files, directories (their {@code *.fgb}) or globs, on any Hadoop FileSystem. */
  public static final String PATH = SourceOptions.PATH;
  public static final String PATHS = SourceOptions.PATHS;
  /**
   * {@code W,S,E,N} in the layer's coordinates: only features whose geometry intersects the box (points inside it,
   * edges included); with an index, only the index nodes and features it selects are read.
   */
  public static final String BBOX = "bbox";
  /** Features per Spark partition of an indexed file (default 1,000,000); a file without index is one partition. */
  public static final String FEATURES_PER_PARTITION = "featuresPerPartition";
  /** Neighbouring features (and index nodes) closer than this are fetched in one range read (default 65536). */
  public static final String MAX_GAP_BYTES = "maxGapBytes";

  static final long DEFAULT_FEATURES_PER_PARTITION = 1_000_000;
  static final int DEFAULT_MAX_GAP_BYTES = 64 * 1024;

  static final Set<String> ALL = Set.of(PATH, PATHS, BBOX, FEATURES_PER_PARTITION, MAX_GAP_BYTES);

  private FlatGeobufReadOptions() {}
}
