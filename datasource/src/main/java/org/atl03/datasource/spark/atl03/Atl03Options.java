package org.atl03.datasource.spark.atl03;
import org.atl03.datasource.io.HadoopSettings;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
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
import org.atl03.datasource.atl03.RefsOptions;

/**
 * The source's options (names are case-insensitive, as Spark passes them):
 *
 * <ul>
 *   <li>{@code path} / {@code paths}: files, directories (their {@code *.h5}) or globs, on any Hadoop FileSystem;
 *   <li>{@code beams}: comma-separated beams to read (default all six);
 *   <li>{@code strong_only}: only strong beams (default false);
 *   <li>{@code datasets}: extra columns, comma-separated: a {@code gtx/heights} dataset name, or
 *       {@code geolocation/NAME} for a segment-rate dataset broadcast to its photons (a bare name not in heights is
 *       looked up in geolocation);
 *   <li>{@code chunksPerPartition}: heights chunks per partition (default: about {@value #TARGET_PARTITION_PHOTONS}
 *       photons' worth);
 *   <li>{@code readsInFlight}: concurrent range reads per task (default: {@value Granules#LOCAL_READS_IN_FLIGHT}
 *       on local disk, {@value Granules#REMOTE_READS_IN_FLIGHT} on remote storage, where each waits a round trip);
 *   <li>{@code pruneMarginMeters}, {@code pruneMarginSeconds}: how far a photon may lie from its segment's
 *       reference photon (see {@link PhotonPruning});
 *   <li>{@code onCorruptGranule}: {@code fail} (the default) fails the query naming the unreadable granule and
 *       what is wrong with it; {@code skip} skips it, logs file and reason, counts it in the scan's
 *       {@code corruptGranulesSkipped} / {@code corruptPartitionsSkipped} metrics and lists it for jobs
 *       ({@link Atl03ScanMetrics#skipped});
 *   <li>{@code ignoreCorruptFiles}: Spark's name for the same choice ({@code true} is {@code skip}); without either
 *       option, Spark's {@code spark.sql.files.ignoreCorruptFiles} decides;
 *   <li>{@code geometry}: add a {@code geometry} column, the photon as a Sedona point (lon_ph, lat_ph); needs Apache
 *       Sedona on the classpath (default false);
 *   <li>for kerchunk references: {@code allowedPrefixes} (comma list of locations the data file must be under),
 *       {@code dataDir} (where a relative data URL resolves when not beside the references), {@code dataLocation}
 *       (the data file, overriding the URL) — the {@code atl03.refs.*} settings of {@link RefsOptions}, per read.
 * </ul>
 */
record Atl03Options(
    List<String> paths,
    Set<String> beams,
    boolean strongOnly,
    List<String> datasets,
    int chunksPerPartition,
    int readsInFlight, // 0: by storage (Granules.readsInFlight)
    double pruneMarginMeters,
    double pruneMarginSeconds,
    Boolean ignoreCorruptFiles,
    boolean geometry,
    Map<String, String> refsSettings)
    implements Serializable {

  /** Read options that are the kerchunk settings of the same name. */
  private static final Map<String, String> REFS_OPTIONS = Map.of(
      "allowedPrefixes", HadoopSettings.REFS_ALLOWED_PREFIXES,
      "dataDir", HadoopSettings.REFS_DATA_DIR,
      "dataLocation", HadoopSettings.REFS_DATA_LOCATION);

  static final long TARGET_PARTITION_PHOTONS = 1_000_000;

  static Atl03Options parse(CaseInsensitiveStringMap options) {
    List<String> paths = new ArrayList<>();
    if (options.containsKey("paths")) {
      try {
        paths.addAll(new ObjectMapper().readValue(options.get("paths"), new TypeReference<List<String>>() {}));
      } catch (Exception e) {
        throw new IllegalArgumentException("option paths is not a JSON list of strings: " + options.get("paths"));
      }
    }
    if (options.containsKey("path")) {
      paths.add(options.get("path"));
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("format(\"atl03\") needs a path: load(\"s3a://bucket/ATL03_*.h5\")");
    }
    Set<String> beams = null;
    if (options.containsKey("beams")) {
      beams = new LinkedHashSet<>();
      for (String beam : list(options.get("beams"))) {
        String b = beam.toLowerCase(Locale.ROOT);
        if (!Atl03Granule.BEAMS.contains(b)) {
          throw new IllegalArgumentException("option beams: unknown beam '" + beam + "', expected one of "
              + Atl03Granule.BEAMS);
        }
        beams.add(b);
      }
    }
    return new Atl03Options(
        List.copyOf(paths),
        beams == null ? null : Set.copyOf(beams),
        options.getBoolean("strong_only", false),
        List.copyOf(list(options.getOrDefault("datasets", ""))),
        positive(options, "chunksPerPartition", 0, true),
        positive(options, "readsInFlight", 0, false),
        options.getDouble("pruneMarginMeters", PhotonPruning.DEFAULT_MARGIN_METERS),
        options.getDouble("pruneMarginSeconds", PhotonPruning.DEFAULT_MARGIN_SECONDS),
        skipCorrupt(options),
        options.getBoolean("geometry", false),
        refsSettings(options));
  }

  /**
   * The corrupt-granule mode the options ask for: true (skip), false (fail) or null (neither option given: Spark's
   * setting decides). onCorruptGranule and ignoreCorruptFiles are one choice under two names, so contradicting
   * values are refused rather than one silently winning.
   */
  private static Boolean skipCorrupt(CaseInsensitiveStringMap options) {
    Boolean ignore = options.containsKey("ignoreCorruptFiles") ? options.getBoolean("ignoreCorruptFiles", false)
        : null;
    if (!options.containsKey("onCorruptGranule")) {
      return ignore;
    }
    String mode = options.get("onCorruptGranule").trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("fail") && !mode.equals("skip")) {
      throw new IllegalArgumentException("option onCorruptGranule must be fail or skip, got "
          + options.get("onCorruptGranule"));
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

  private static Map<String, String> refsSettings(CaseInsensitiveStringMap options) {
    Map<String, String> settings = new HashMap<>();
    REFS_OPTIONS.forEach((option, key) -> {
      if (options.containsKey(option)) {
        settings.put(key, options.get(option));
      }
    });
    return Map.copyOf(settings);
  }

  /** The session's Hadoop configuration with this read's kerchunk settings on top. */
  Configuration hadoopConf(Configuration session) {
    if (refsSettings.isEmpty()) {
      return session;
    }
    Configuration conf = new Configuration(session);
    refsSettings.forEach(conf::set);
    return conf;
  }

  /** Chunks per partition for a chunk size: the option, or about a million photons. */
  int chunksPerPartition(long chunkRows) {
    if (chunksPerPartition > 0) {
      return chunksPerPartition;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TARGET_PARTITION_PHOTONS / Math.max(1, chunkRows)));
  }

  boolean selectsBeam(String beam, String strength) {
    return (beams == null || beams.contains(beam)) && (!strongOnly || strength.equals("strong"));
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static int positive(CaseInsensitiveStringMap options, String key, int fallback, boolean zeroMeansDefault) {
    int value = options.getInt(key, fallback);
    if (value < 0 || (value == 0 && !zeroMeansDefault && options.containsKey(key))) {
      throw new IllegalArgumentException("option " + key + " must be a positive integer, got " + options.get(key));
    }
    return value;
  }
}
