package org.atl03.datasource.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import scala.collection.Iterator;

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

  /** The custom metrics (bytesRead, readRequests, ...) of the query's atl03 scan; run the query first. */
  public static Map<String, Long> scanMetrics(Dataset<Row> executed) {
    BatchScanExec scan = find(executed.queryExecution().executedPlan());
    if (scan == null) {
      throw new IllegalStateException("no BatchScanExec in " + executed.queryExecution().executedPlan());
    }
    Map<String, Long> values = new HashMap<>();
    Iterator<scala.Tuple2<String, org.apache.spark.sql.execution.metric.SQLMetric>> it = scan.metrics().iterator();
    while (it.hasNext()) {
      scala.Tuple2<String, org.apache.spark.sql.execution.metric.SQLMetric> e = it.next();
      values.put(e._1(), e._2().value());
    }
    return values;
  }

  private static BatchScanExec find(SparkPlan plan) {
    if (plan instanceof BatchScanExec scan) {
      return scan;
    }
    Iterator<SparkPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      BatchScanExec found = find(children.next());
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
