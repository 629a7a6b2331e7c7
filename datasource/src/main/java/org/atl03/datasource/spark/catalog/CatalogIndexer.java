package org.atl03.datasource.spark.catalog;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.floor;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.storage.StorageLevel;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.GranuleReadOptions;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.atl03.catalog.CatalogWindow;
import org.atl03.datasource.atl03.catalog.GranuleSurvey;
import org.atl03.datasource.io.FileVersion;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.io.StorageFailures;
import org.atl03.datasource.io.StoredFile;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.SerializableConfiguration;

/**
 * An index run: lists the granules (on the driver: paths and versions only), compares them with the catalog,
 * opens the new and changed ones in Spark tasks ({@link GranuleSurvey}) and writes the result as one Delta commit
 * (a {@code replaceWhere} over the paths it adds, replaces and removes). A run killed at any point leaves the
 * catalog's previous version as it was; granules are keyed by their full path.
 */
public final class CatalogIndexer {

  /**
   * Window rows per catalog file: ~50 MB with full manifests (~2.4 kB a window of 1 M photons, compressed), so an
   * archive's log lists ~2,000 files, not ~10,000, and its cold planning replays fewer file entries; the row groups
   * below keep reading a file's matching windows cheap.
   */
  static final int ROWS_PER_FILE = 20_000;
  /**
   * Parquet row groups of about this many bytes (before compression): ~250 windows of 1 M photons, whose
   * statistics let a query skip most of a file's windows and their manifests (one 20 MB row group a file made a
   * 1 % bbox read every manifest of the files it touched).
   */
  static final int ROW_GROUP_BYTES = 1 << 20;
  static final String ROW_GROUP_PROPERTY = "parquet.block.size";
  /**
   * Delta's file statistics of {@link CatalogTable#STATISTICS_COLUMNS} only, not of its default 32 first columns:
   * each file's log entry is several times smaller, and the cold planning of an archive parses each entry once.
   */
  static final String STATS_COLUMNS = String.join(",", CatalogTable.STATISTICS_COLUMNS);
  static final String STATS_COLUMNS_PROPERTY = "delta.dataSkippingStatsColumns";

  /**
   * @param datasets manifests kept beyond the default columns' datasets ({@code heights/NAME}, {@code
   *     geolocation/NAME} or a bare name)
   * @param windowPhotons photons per planning window (rounded to whole chunks)
   * @param prune remove the catalogued granules that the inputs no longer list
   */
  public record Options(List<String> datasets, long windowPhotons, boolean prune) implements Serializable {
    public static final Options DEFAULT = new Options(List.of(), GranuleSurvey.DEFAULT_WINDOW_PHOTONS, false);
  }

  /**
   * What a run did.
   *
   * @param skipped the listed granules the catalog holds as not indexable, each "path: reason" (this run's and
   *     earlier runs' unchanged ones)
   * @param committed whether the run wrote a Delta commit (nothing changed: no commit)
   */
  public record Report(int listed, int added, int replaced, int removed, int unchanged, List<String> skipped,
      long windows, long listedBytes, boolean committed) {}

  private CatalogIndexer() {}

  public static Report index(SparkSession spark, List<String> inputs, String catalog, Options options,
      Configuration conf) throws IOException {
    Storage storage = new HadoopStorage(conf);
    List<StoredFile> listed = storage.list(inputs, Granules.HDF5_SUFFIXES);
    Map<String, FileVersion> current = new LinkedHashMap<>();
    long listedBytes = 0;
    for (StoredFile file : listed) {
      current.put(file.location(), storage.version(file));
      listedBytes += file.length();
    }
    boolean exists = CatalogReader.exists(storage, catalog);
    Map<String, CatalogReader.Entry> indexed = exists ? CatalogReader.entries(spark, catalog) : Map.of();

    List<Job> jobs = new ArrayList<>();
    Set<String> replacedPaths = new TreeSet<>();
    int added = 0;
    int replaced = 0;
    int unchanged = 0;
    List<String> skipped = new ArrayList<>();
    for (Map.Entry<String, FileVersion> e : current.entrySet()) {
      CatalogReader.Entry known = indexed.get(e.getKey());
      if (known != null && known.version().sameAs(e.getValue())) {
        unchanged++;
        if (known.reason() != null) {
          skipped.add(e.getKey() + ": " + known.reason());
        }
        continue;
      }
      if (known == null) {
        added++;
      } else {
        replaced++;
      }
      replacedPaths.add(e.getKey());
      jobs.add(new Job(e.getKey(), e.getValue()));
    }
    int removed = 0;
    if (options.prune()) {
      for (String path : indexed.keySet()) {
        if (!current.containsKey(path)) {
          replacedPaths.add(path);
          removed++;
        }
      }
    }
    if (exists && replacedPaths.isEmpty()) {
      return new Report(listed.size(), 0, 0, 0, unchanged, skipped, 0, listedBytes, false);
    }

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> broadcast = jsc.broadcast(new SerializableConfiguration(conf));
    int slices = Math.max(1, Math.min(jobs.size(), jsc.defaultParallelism() * 4));
    Timestamp now = new Timestamp(System.currentTimeMillis());
    JavaRDD<Row> rows = jsc.parallelize(jobs, slices).mapPartitions(new Survey(broadcast, options, now));
    Dataset<Row> table = spark.createDataFrame(rows, CatalogTable.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Row> granules = table.filter(col("kind").notEqual(CatalogTable.WINDOW))
          .select("path", "kind", "reason").collectAsList();
      for (Row g : granules) {
        if (CatalogTable.SKIPPED.equals(g.getString(1))) {
          skipped.add(g.getString(0) + ": " + g.getString(2));
        }
      }
      long windows = table.filter(col("kind").equalTo(CatalogTable.WINDOW)).count();
      write(clustered(table, windows), catalog, exists, replacedPaths);
      return new Report(listed.size(), added, replaced, removed, unchanged, List.copyOf(skipped), windows,
          listedBytes, true);
    } finally {
      table.unpersist();
    }
  }

  /**
   * Writes a new catalog from rows made elsewhere ({@link CatalogTable#granuleRow}, {@link CatalogTable#windowRow}):
   * laid out and committed as {@code index} does; fails when {@code catalog} exists. For catalogs of granules that
   * are not at hand, e.g. the scale benchmark's synthetic archive.
   */
  public static void create(SparkSession spark, JavaRDD<Row> rows, long windows, String catalog) {
    write(clustered(spark.createDataFrame(rows, CatalogTable.SCHEMA), windows), catalog, false, Set.of());
  }

  /**
   * Rows laid out for data skipping: granule rows apart from window rows, windows by month, then by latitude band
   * and longitude, in files of about {@value #ROWS_PER_FILE} rows, so a query's time and box reach few files.
   */
  static Dataset<Row> clustered(Dataset<Row> table, long windows) {
    int files = (int) Math.max(1, Math.min(10_000, (windows + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
    return table.repartitionByRange(files, col("kind"), date_trunc("month", col("time_min")),
            floor(col("lat_min").divide(5)), col("lon_min"))
        .sortWithinPartitions(col("kind"), date_trunc("month", col("time_min")), floor(col("lat_min").divide(5)),
            col("lon_min"), col("path"), col("beam"), col("photon_start"));
  }

  private static void write(Dataset<Row> rows, String catalog, boolean exists, Set<String> paths) {
    if (!exists) {
      // one commit creating the table with its row-group size, which every later write to it keeps (a Delta table
      // property reaches the Parquet writer; a write option does not). A table property needs Delta's catalog.
      if (!rows.sparkSession().conf().get("spark.sql.catalog.spark_catalog", "").contains("DeltaCatalog")) {
        throw new IllegalStateException("creating catalog " + catalog + " needs Delta Lake's catalog in the "
            + "session: " + CatalogReader.DELTA_SESSION);
      }
      // Delta takes delta.`path` for a path only when the path is absolute (a relative one names a table of a
      // schema "delta"): the catalog's location qualified, as the other writes resolve it
      String location;
      try {
        Path path = new Path(catalog);
        location = path.getFileSystem(rows.sparkSession().sessionState().newHadoopConf()).makeQualified(path)
            .toString();
      } catch (IOException e) {
        throw new UncheckedIOException("catalog " + catalog + ": " + e.getMessage(), e);
      }
      try {
        rows.writeTo("delta.`" + location.replace("`", "``") + "`").using("delta")
            .tableProperty(ROW_GROUP_PROPERTY, String.valueOf(ROW_GROUP_BYTES))
            .tableProperty(STATS_COLUMNS_PROPERTY, STATS_COLUMNS)
            .option("maxRecordsPerFile", ROWS_PER_FILE).create();
      } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
        throw new IllegalStateException("catalog " + catalog + " was created while this run indexed: run again", e);
      }
    } else {
      var writer = rows.write().format("delta").option("maxRecordsPerFile", ROWS_PER_FILE);
      // one commit: removes the rows of every path in the list and adds the new rows (all of whose paths are in it)
      writer.mode("overwrite").option("replaceWhere", "path IN (" + String.join(", ",
          paths.stream().map(CatalogIndexer::sqlString).toList()) + ")").save(catalog);
    }
    // a checkpoint of the version just committed: a query's first planning then reads one Parquet file of the
    // table's state instead of replaying every commit's JSON. It is written after the commit and describes it: it
    // changes no version's content.
    DeltaLog.forTable(rows.sparkSession(), catalog).checkpoint();
  }

  static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A granule to open: where it is and the version listed. */
  record Job(String location, FileVersion version) implements Serializable {}

  /** The task: opens each granule of its share and turns it into rows, or into a skipped row with the reason. */
  private static final class Survey implements FlatMapFunction<Iterator<Job>, Row> {
    private final Broadcast<SerializableConfiguration> conf;
    private final Options options;
    private final Timestamp now;

    Survey(Broadcast<SerializableConfiguration> conf, Options options, Timestamp now) {
      this.conf = conf;
      this.options = options;
      this.now = now;
    }

    @Override
    public Iterator<Row> call(Iterator<Job> jobs) {
      Configuration hadoop = conf.value().get();
      Storage storage = new HadoopStorage(hadoop);
      GranuleReadOptions readOptions = GranuleSettings.from(hadoop);
      GranuleSurvey survey = new GranuleSurvey(options.datasets(), options.windowPhotons());
      List<Row> out = new ArrayList<>();
      while (jobs.hasNext()) {
        Job job = jobs.next();
        String name = job.location().substring(job.location().lastIndexOf('/') + 1);
        try (Atl03Granule granule = Granules.openVersion(job.location(), job.version(), storage, readOptions,
            new ReadMetrics())) {
          GranuleSurvey.Survey result = survey.survey(granule);
          out.add(CatalogTable.granuleRow(result.granule(), job.version(), now));
          for (CatalogWindow window : result.windows()) {
            out.add(CatalogTable.windowRow(result.granule(), window, job.version(), now));
          }
        } catch (IOException | RuntimeException e) {
          if (StorageFailures.isStorageFailure(e)) {
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
          }
          String reason = String.valueOf(e.getMessage());
          out.add(CatalogTable.skippedRow(name, job.location(), job.version(),
              reason.startsWith(job.location()) ? reason.substring(job.location().length()).replaceFirst("^: ", "")
                  : reason, now));
        }
      }
      return out.iterator();
    }
  }
}
