package org.atl03.datasource.spark.atl03;

import java.util.Map;
import java.util.Set;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.atl03.PhotonPruning;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.spark.SourceOptions;

/**
 * The read options of {@code format("atl03")}: {@code spark.read.format("atl03").option(NAME, value)}. Names are
 * case-insensitive; any other name fails the query, listing these.
 */
public final class Atl03ReadOptions {

  /** Files, directories (their {@code *.h5}, {@code *.json} references) or globs, on any Hadoop FileSystem. */
  public static final String PATH = SourceOptions.PATH;
  public static final String PATHS = SourceOptions.PATHS;
  /**
   * A catalog directory ({@code ./atl03 index}): the scan plans from it, opening no granule on the driver, and
   * reads the granules it lists (no path is given then).
   */
  public static final String CATALOG = "catalog";
  /**
   * Catalogs: how the catalog's Delta table is read when planning. {@code driver} (default): on the driver, without
   * Spark jobs (its Delta log, then the Parquet row groups its statistics do not rule out), falling back to
   * {@code spark} for a table using a Delta feature the driver's reader does not implement (logged); {@code spark}:
   * as Spark queries through Delta Lake.
   */
  public static final String CATALOG_READER = "catalogReader";
  /**
   * Catalogs read through Spark ({@link #CATALOG_READER}): a catalog of at most this many bytes (its Delta
   * table's size) is planned in one query, the matching windows with their manifests; a larger one, when a position
   * or time filter is pushed, in two (the windows first, checked exactly, then only the kept windows' manifests).
   * Default {@value Atl03Options#DEFAULT_CATALOG_ONE_QUERY_MAX_BYTES} bytes (64 MB); 0: always two.
   */
  public static final String CATALOG_ONE_QUERY_MAX_BYTES = "catalogOneQueryMaxBytes";
  /** Comma-separated beams to read (default all six: gt1l … gt3r). */
  public static final String BEAMS = "beams";
  /** Only strong beams (default false). */
  public static final String STRONG_ONLY = "strongOnly";
  /**
   * Extra columns, comma-separated: a {@code gtx/heights} dataset name, or {@code geolocation/NAME} for a
   * segment-rate dataset broadcast to its photons (a bare name not in heights is looked up in geolocation).
   */
  public static final String DATASETS = "datasets";
  /**
   * Heights chunks per partition (default: the scan's selected photons over about {@value
   * Atl03Options#PARTITION_WAVES} tasks per task slot, {@value Atl03Options#MIN_PARTITION_PHOTONS} to {@value
   * Atl03Options#MAX_PARTITION_PHOTONS} photons' worth).
   */
  public static final String CHUNKS_PER_PARTITION = "chunksPerPartition";
  /**
   * Concurrent range reads per task (default {@value Granules#LOCAL_READS_IN_FLIGHT} on local disk,
   * {@value Granules#REMOTE_READS_IN_FLIGHT} on remote storage, where each read waits a round trip).
   */
  public static final String READS_IN_FLIGHT = "readsInFlight";
  /** How far a photon may lie from its segment's reference photon when pruning (see {@link PhotonPruning}). */
  public static final String PRUNE_MARGIN_METERS = "pruneMarginMeters";
  public static final String PRUNE_MARGIN_SECONDS = "pruneMarginSeconds";
  /**
   * {@code fail} (default): an unreadable granule fails the query, naming it and what is wrong; {@code skip}: it is
   * skipped, logged, counted in the corruptGranulesSkipped / corruptPartitionsSkipped metrics and listed for jobs
   * ({@link Atl03ScanMetrics#skipped}).
   */
  public static final String ON_CORRUPT_GRANULE = "onCorruptGranule";
  /**
   * Spark's name for the same choice ({@code true} is skip); without either option, Spark's
   * {@code spark.sql.files.ignoreCorruptFiles} decides.
   */
  public static final String IGNORE_CORRUPT_FILES = "ignoreCorruptFiles";
  /** Add a {@code geometry} column, the photon as a Sedona point (lon_ph, lat_ph); needs Sedona (default false). */
  public static final String GEOMETRY = "geometry";
  /**
   * Kerchunk references and catalogs: locations (comma list) the data files they name must be under, per read
   * (default: the references' or the catalog's own parent directory).
   */
  public static final String ALLOWED_PREFIXES = "allowedPrefixes";
  /** Kerchunk references: where a relative data URL resolves when the file is not beside the references. */
  public static final String DATA_DIR = "dataDir";
  /** Kerchunk references: the data file, overriding the URL they name. */
  public static final String DATA_LOCATION = "dataLocation";

  static final Set<String> ALL = Set.of(PATH, PATHS, CATALOG, CATALOG_READER, CATALOG_ONE_QUERY_MAX_BYTES, BEAMS,
      STRONG_ONLY, DATASETS, CHUNKS_PER_PARTITION, READS_IN_FLIGHT, PRUNE_MARGIN_METERS, PRUNE_MARGIN_SECONDS,
      ON_CORRUPT_GRANULE, IGNORE_CORRUPT_FILES, GEOMETRY, ALLOWED_PREFIXES, DATA_DIR, DATA_LOCATION);

  /** Old names, still accepted with a warning. */
  static final Map<String, String> RENAMED = Map.of("strong_only", STRONG_ONLY);

  /** The read options that are the kerchunk Hadoop settings of the same name, for one read. */
  static final Map<String, String> REFS_SETTINGS = Map.of(
      ALLOWED_PREFIXES, HadoopSettings.REFS_ALLOWED_PREFIXES,
      DATA_DIR, HadoopSettings.REFS_DATA_DIR,
      DATA_LOCATION, HadoopSettings.REFS_DATA_LOCATION);

  private Atl03ReadOptions() {}
}
