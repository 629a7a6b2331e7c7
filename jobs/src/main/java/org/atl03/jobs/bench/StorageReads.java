package org.atl03.jobs.bench;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StorageStatistics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.Tuple2;
import scala.collection.Iterator;

/**
 * What a query read from storage, the same way for every format: Hadoop's per-scheme FileSystem statistics
 * (bytesRead, readOps of every FileSystem instance of the scheme, all threads of this JVM: on local Spark the tasks
 * too), diffed around the query. Plus whatever metrics the format's scan node reports (ours: chunks, bytes; Parquet:
 * files, sizes …), collected generically and not relied on.
 */
public final class StorageReads {

  public record Snapshot(long bytesRead, long readOps) {
    public Snapshot minus(Snapshot before) {
      return new Snapshot(bytesRead - before.bytesRead, readOps - before.readOps);
    }
  }

  private StorageReads() {}

  public static Snapshot snapshot(String scheme) {
    StorageStatistics stats = FileSystem.getGlobalStorageStatistics().get(scheme);
    if (stats == null) {
      return new Snapshot(0, 0);
    }
    return new Snapshot(orZero(stats.getLong("bytesRead")), orZero(stats.getLong("readOps")));
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  /** The metrics of every scan node (a leaf whose class name ends in ScanExec) of an executed query, by node. */
  public static Map<String, Long> scanMetrics(Dataset<Row> executed) {
    Map<String, Long> values = new HashMap<>();
    collect(executed.queryExecution().executedPlan(), values);
    return values;
  }

  private static void collect(SparkPlan plan, Map<String, Long> values) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), values);
      return;
    }
    if (plan instanceof QueryStageExec stage) {
      collect(stage.plan(), values);
      return;
    }
    if (plan.getClass().getSimpleName().endsWith("ScanExec")) {
      Iterator<Tuple2<String, SQLMetric>> it = plan.metrics().iterator();
      while (it.hasNext()) {
        Tuple2<String, SQLMetric> m = it.next();
        values.merge(m._1(), m._2().value(), Long::sum);
      }
    }
    Iterator<SparkPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      collect(children.next(), values);
    }
  }
}
