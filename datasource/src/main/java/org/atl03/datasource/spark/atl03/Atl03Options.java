package org.atl03.datasource.spark.atl03;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.PhotonPruning;
import org.atl03.datasource.spark.SourceOptions;

/** The read options of one scan, parsed and checked (names, defaults and docs: {@link Atl03ReadOptions}). */
record Atl03Options(
    List<String> paths, // empty when planned from a catalog
    String catalog, // the catalog to plan from, or null
    Set<String> beams,
    boolean strongOnly,
    List<String> datasets,
    int chunksPerPartition,
    int readsInFlight, // 0: by storage (Granules.readsInFlight)
    double pruneMarginMeters,
    double pruneMarginSeconds,
    Boolean ignoreCorruptFiles,
    boolean geometry,
    boolean catalogThroughSpark,
    long catalogOneQueryMaxBytes,
    Map<String, String> hadoopSettings)
    implements Serializable {

  /** A partition's photons, at least: below this a task's fixed cost shows. */
  static final long MIN_PARTITION_PHOTONS = 1_000_000;
  /** ...and at most: beyond this larger tasks save nothing more. */
  static final long MAX_PARTITION_PHOTONS = 8_000_000;
  /** Tasks per task slot the scan aims at: partitions end where beams end, and a few waves even out their sizes. */
  static final int PARTITION_WAVES = 3;
  static final long DEFAULT_CATALOG_ONE_QUERY_MAX_BYTES = 64L << 20;

  static Atl03Options parse(CaseInsensitiveStringMap given) {
    CaseInsensitiveStringMap options = SourceOptions.checked("atl03", given, Atl03ReadOptions.ALL,
        Atl03ReadOptions.RENAMED);
    String catalog = options.containsKey(Atl03ReadOptions.CATALOG)
        ? options.get(Atl03ReadOptions.CATALOG).trim() : null;
    List<String> paths;
    if (catalog == null) {
      paths = SourceOptions.paths("atl03", options, "s3a://bucket/ATL03_*.h5");
    } else if (options.containsKey(SourceOptions.PATH) || options.containsKey(SourceOptions.PATHS)) {
      throw new IllegalArgumentException("format(\"atl03\"): option catalog plans from the catalog's granules, so "
          + "load() takes no path; select granules with WHERE granule = '…' (or read the paths without catalog)");
    } else if (catalog.isEmpty()) {
      throw new IllegalArgumentException("option catalog is empty: give the directory ./atl03 index wrote");
    } else {
      paths = List.of();
    }
    Set<String> beams = null;
    if (options.containsKey(Atl03ReadOptions.BEAMS)) {
      beams = new LinkedHashSet<>();
      for (String beam : list(options.get(Atl03ReadOptions.BEAMS))) {
        String b = beam.toLowerCase(Locale.ROOT);
        if (!Atl03Granule.BEAMS.contains(b)) {
          throw new IllegalArgumentException("option beams: unknown beam '" + beam + "', expected one of "
              + Atl03Granule.BEAMS);
        }
        beams.add(b);
      }
    }
    return new Atl03Options(
        paths,
        catalog,
        beams == null ? null : Set.copyOf(beams),
        options.getBoolean(Atl03ReadOptions.STRONG_ONLY, false),
        List.copyOf(list(options.getOrDefault(Atl03ReadOptions.DATASETS, ""))),
        positive(options, Atl03ReadOptions.CHUNKS_PER_PARTITION, 0, true),
        positive(options, Atl03ReadOptions.READS_IN_FLIGHT, 0, false),
        options.getDouble(Atl03ReadOptions.PRUNE_MARGIN_METERS, PhotonPruning.DEFAULT_MARGIN_METERS),
        options.getDouble(Atl03ReadOptions.PRUNE_MARGIN_SECONDS, PhotonPruning.DEFAULT_MARGIN_SECONDS),
        skipCorrupt(options),
        options.getBoolean(Atl03ReadOptions.GEOMETRY, false),
        catalogThroughSpark(options),
        notNegative(options, Atl03ReadOptions.CATALOG_ONE_QUERY_MAX_BYTES, DEFAULT_CATALOG_ONE_QUERY_MAX_BYTES),
        hadoopSettings(options));
  }

  private static boolean catalogThroughSpark(CaseInsensitiveStringMap options) {
    String reader = options.getOrDefault(Atl03ReadOptions.CATALOG_READER, "driver").trim().toLowerCase(Locale.ROOT);
    if (!reader.equals("driver") && !reader.equals("spark")) {
      throw new IllegalArgumentException("option catalogReader must be driver or spark, got "
          + options.get(Atl03ReadOptions.CATALOG_READER));
    }
    return reader.equals("spark");
  }

  /**
   * The corrupt-granule mode the options ask for: true (skip), false (fail) or null (neither option given: Spark's
   * setting decides). onCorruptGranule and ignoreCorruptFiles are one choice under two names, so contradicting
   * values are refused rather than one silently winning.
   */
  private static Boolean skipCorrupt(CaseInsensitiveStringMap options) {
    Boolean ignore = options.containsKey(Atl03ReadOptions.IGNORE_CORRUPT_FILES)
        ? options.getBoolean(Atl03ReadOptions.IGNORE_CORRUPT_FILES, false) : null;
    if (!options.containsKey(Atl03ReadOptions.ON_CORRUPT_GRANULE)) {
      return ignore;
    }
    String mode = options.get(Atl03ReadOptions.ON_CORRUPT_GRANULE).trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("fail") && !mode.equals("skip")) {
      throw new IllegalArgumentException("option onCorruptGranule must be fail or skip, got "
          + options.get(Atl03ReadOptions.ON_CORRUPT_GRANULE));
    }
    boolean skip = mode.equals("skip");
    if (ignore != null && ignore != skip) {
      throw new IllegalArgumentException("options onCorruptGranule=" + mode + " and ignoreCorruptFiles=" + ignore
          + " contradict each other; give one");
    }
    return skip;
  }

  /** Whether unreadable granules are skipped: the options, else Spark's spark.sql.files.ignoreCorruptFiles. */
  boolean skipCorruptGranules(boolean sparkIgnoreCorruptFiles) {
    return ignoreCorruptFiles != null ? ignoreCorruptFiles : sparkIgnoreCorruptFiles;
  }

  /** The read's Hadoop settings: those given as options, and the kerchunk options' settings. */
  private static Map<String, String> hadoopSettings(CaseInsensitiveStringMap options) {
    Map<String, String> settings = new HashMap<>(SourceOptions.hadoopSettings(options));
    Atl03ReadOptions.REFS_SETTINGS.forEach((option, key) -> {
      if (options.containsKey(option)) {
        settings.put(key, options.get(option));
      }
    });
    return Map.copyOf(settings);
  }

  /** The session's Hadoop configuration with this read's settings on top. */
  Configuration hadoopConf(Configuration session) {
    return SourceOptions.withSettings(session, hadoopSettings);
  }

  /** Settings may hold secrets (fs.s3a.*.secret.key): their values are never printed. */
  @Override
  public String toString() {
    return "Atl03Options[paths=" + paths + (catalog == null ? "" : ", catalog=" + catalog) + ", beams=" + beams
        + ", strongOnly=" + strongOnly + ", datasets=" + datasets + ", hadoopSettings=" + hadoopSettings.keySet() + "]";
  }

  /**
   * Photons per partition for a scan selecting {@code scanPhotons} on {@code parallelism} task slots: about
   * {@value #PARTITION_WAVES} tasks per slot, within [{@value #MIN_PARTITION_PHOTONS},
   * {@value #MAX_PARTITION_PHOTONS}]. As Spark's file sources size splits by the bytes per core, so a granule on two
   * cores is not 21 tasks of fixed cost (measured: the 488 MB granule's scan 4-9 % faster in 9 tasks). A task's
   * memory does not grow with it: the reader decodes at most {@link Atl03PartitionReader#MAX_SPAN_PHOTONS} at once.
   */
  static long partitionPhotons(long scanPhotons, int parallelism) {
    long perWave = scanPhotons / ((long) Math.max(1, parallelism) * PARTITION_WAVES);
    return Math.max(MIN_PARTITION_PHOTONS, Math.min(MAX_PARTITION_PHOTONS, perWave));
  }

  /** Chunks per partition for a chunk size: the option, or {@code partitionPhotons}' worth (at least one chunk). */
  int chunksPerPartition(long chunkRows, long partitionPhotons) {
    if (chunksPerPartition > 0) {
      return chunksPerPartition;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, partitionPhotons / Math.max(1, chunkRows)));
  }

  /** What the scan reads, for its name and description. */
  String source() {
    return catalog == null ? paths.toString() : "catalog " + catalog;
  }

  boolean selectsBeam(String beam, String strength) {
    return (beams == null || beams.contains(beam)) && (!strongOnly || strength.equals("strong"));
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static long notNegative(CaseInsensitiveStringMap options, String key, long fallback) {
    long value = options.getLong(key, fallback);
    if (value < 0) {
      throw new IllegalArgumentException("option " + key + " must be 0 or more, got " + options.get(key));
    }
    return value;
  }

  private static int positive(CaseInsensitiveStringMap options, String key, int fallback, boolean zeroMeansDefault) {
    int value = options.getInt(key, fallback);
    if (value < 0 || (value == 0 && !zeroMeansDefault && options.containsKey(key))) {
      throw new IllegalArgumentException("option " + key + " must be a positive integer, got " + options.get(key));
    }
    return value;
  }
}
