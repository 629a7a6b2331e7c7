package org.atl03.datasource.spark.catalog;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.atl03.datasource.atl03.catalog.CatalogRows;
import org.atl03.datasource.io.FileVersion;
import org.atl03.datasource.io.Storage;

/** Opens a catalog's Delta table, refusing one this build cannot read: a newer layout, or columns missing. */
public final class CatalogReader {

  /** What the catalog holds of a granule's file: the version indexed, and why it was skipped (null if it was not). */
  public record Entry(FileVersion version, String reason) {}

  /** How a session reads and writes Delta tables (./atl03 sets it; EMR: the delta-defaults classification). */
  public static final String DELTA_SESSION = "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension, "
      + "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog";

  private CatalogReader() {}

  public static boolean exists(Storage storage, String catalog) throws IOException {
    return storage.exists(storage.resolve(catalog, "_delta_log"));
  }

  /** The catalog's table, checked. */
  public static Dataset<Row> table(SparkSession spark, String catalog) {
    Dataset<Row> table;
    try {
      table = spark.read().format("delta").load(catalog);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, and thrown anyway
      throw new IllegalArgumentException("catalog " + catalog + " is not readable as a Delta table: "
          + e.getMessage() + " (a catalog is what ./atl03 index --in GRANULES --catalog " + catalog + " builds; "
          + "reading it needs Delta Lake in the session: " + DELTA_SESSION + ")", e);
    }
    CatalogRows.checkColumns(catalog, "its table", CatalogTable.missingColumns(table.schema()));
    return table;
  }

  /**
   * The bytes of the catalog's data files, from Delta's state of the table as last read in this session
   * ({@link #table} reads it): no request. Taken from the commit's checksum file where there is one; computing it
   * from the state instead is a Spark job whose code generation alone cost ~2 s of a cold driver's planning.
   */
  public static long tableBytes(SparkSession spark, String catalog) {
    Snapshot snapshot = DeltaLog.forTable(spark, catalog).unsafeVolatileSnapshot();
    scala.Option<Object> known = snapshot.sizeInBytesIfKnown();
    return known.isDefined() ? (Long) known.get() : snapshot.sizeInBytes();
  }

  /** Every granule the catalog holds (indexed or skipped), by path. */
  public static Map<String, Entry> entries(SparkSession spark, String catalog) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Row r : table(spark, catalog).filter(col("kind").notEqual(CatalogTable.WINDOW))
        .select("path", "size", "modification_time", "etag", "reason", "catalog_version").collectAsList()) {
      checkVersion(catalog, r.getInt(5));
      entries.put(r.getString(0), new Entry(new FileVersion(r.getLong(1), r.<Timestamp>getAs(2).getTime(),
          r.getString(3)), r.getString(4)));
    }
    return entries;
  }

  /** The paths of up to {@code limit} indexed granules, in path order (to resolve extra columns' types). */
  public static List<String> granules(SparkSession spark, String catalog, int limit) {
    return table(spark, catalog).filter(col("kind").equalTo(CatalogTable.GRANULE)).select("path").orderBy("path")
        .limit(limit).collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /** The files a query on the catalog read, after data skipping, and their bytes. */
  public record FilesRead(long files, long bytes) {}

  /** What an executed query read of its file scans (Spark's "number of files read" and "size of files read"). */
  public static FilesRead filesRead(Dataset<?> executed) {
    long[] sums = new long[2];
    add(executed.queryExecution().executedPlan(), sums);
    return new FilesRead(sums[0], sums[1]);
  }

  private static void add(SparkPlan plan, long[] sums) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      add(adaptive.executedPlan(), sums);
      return;
    }
    if (plan instanceof QueryStageExec stage) {
      add(stage.plan(), sums);
      return;
    }
    if (plan instanceof FileSourceScanExec scan) {
      scala.collection.immutable.Map<String, SQLMetric> metrics = scan.metrics();
      sums[0] += metrics.get("numFiles").map(SQLMetric::value).getOrElse(() -> 0L);
      sums[1] += metrics.get("filesSize").map(SQLMetric::value).getOrElse(() -> 0L);
    }
    scala.collection.Iterator<SparkPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      add(children.next(), sums);
    }
  }

  /** Refuses a row written by a newer layout than this build reads. */
  public static void checkVersion(String catalog, int version) {
    CatalogRows.checkVersion(catalog, version);
  }
}
