package org.atl03.datasource.spark.atl03;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.Tuple2;
import scala.collection.Iterator;

/**
 * The atl03 scan's custom metrics (bytesRead, readRequests, chunksDecoded …, see {@link Atl03Metrics}) of an
 * executed query, for benchmarks and tests; the Spark UI shows the same numbers.
 */
public final class Atl03ScanMetrics {

  private Atl03ScanMetrics() {}

  public static Map<String, Long> of(Dataset<Row> executed) {
    return of(scan(executed));
  }

  /**
   * The granules and partitions an executed query skipped as corrupt (onCorruptGranule=skip), each "file: reason";
   * empty when nothing was skipped.
   */
  public static java.util.List<String> skipped(Dataset<Row> executed) {
    return ((Atl03Scan) scan(executed).scan()).skipped();
  }

  /** The query's atl03 scan node, from its executed plan (the instance whose metrics a run updates). */
  public static BatchScanExec scan(Dataset<Row> query) {
    BatchScanExec scan = find(query.queryExecution().executedPlan());
    if (scan == null) {
      throw new IllegalStateException("no atl03 scan in " + query.queryExecution().executedPlan());
    }
    return scan;
  }

  public static Map<String, Long> of(BatchScanExec scan) {
    Map<String, Long> values = new HashMap<>();
    Iterator<Tuple2<String, SQLMetric>> it = scan.metrics().iterator();
    while (it.hasNext()) {
      Tuple2<String, SQLMetric> metric = it.next();
      values.put(metric._1(), metric._2().value());
    }
    return values;
  }

  /** Walks the plan, into adaptive plans' final plans and their query stages. */
  private static BatchScanExec find(SparkPlan plan) {
    if (plan instanceof BatchScanExec scan) {
      return scan;
    }
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      return find(adaptive.executedPlan());
    }
    if (plan instanceof QueryStageExec stage) {
      return find(stage.plan());
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
