package org.atl03.datasource.spark;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A local Spark for tests, and the atl03 scan's metrics of an executed query. */
public final class SparkTestSupport {

  private SparkTestSupport() {}

  public static SparkSession localSpark() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("atl03 tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false") // plain plans, so the scan node and its metrics are found
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  /** The custom metrics (bytesRead, photonsScanned, ...) of the query's atl03 scan; run the query first. */
  public static Map<String, Long> scanMetrics(Dataset<Row> executed) {
    return Atl03ScanMetrics.of(executed);
  }

}
