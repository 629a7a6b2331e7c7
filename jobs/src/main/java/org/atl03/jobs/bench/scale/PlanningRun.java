package org.atl03.jobs.bench.scale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.bench.BboxChoice;
import org.atl03.jobs.bench.Timings;

/**
 * One query planned from the granules' files or from a catalog: the planning (Spark building the executed plan,
 * which plans the scan's partitions on the driver) timed apart from the whole query, and what planning read.
 *
 * @param planning seconds to plan, per repetition
 * @param whole seconds of the whole query (planning included), per repetition
 * @param metrics the scan's metrics of the last repetition (planningReadRequests, catalogFilesRead, …)
 */
record PlanningRun(String store, int granules, String query, String source, Timings planning, Timings whole,
    long photons, Map<String, Long> metrics) {

  /** The query: count and sum of h_ph, in the box or over everything (box null). */
  static Dataset<Row> query(SparkSession spark, List<String> files, String catalog, String allowed,
      BboxChoice.Box box) {
    Dataset<Row> photons = catalog == null
        ? spark.read().format("atl03").load(files.toArray(String[]::new))
        : spark.read().format("atl03").option("catalog", catalog).option("allowedPrefixes", allowed).load();
    if (box != null) {
      photons = photons.where(col("lat_ph").between(box.south(), box.north())
          .and(col("lon_ph").between(box.west(), box.east())));
    }
    return photons.agg(count(lit(1)), sum("h_ph"));
  }

  static PlanningRun measure(SparkSession spark, String store, int granules, List<String> files, String catalog,
      String allowed, BboxChoice.Box box, int warmups, int repetitions) {
    List<Double> planning = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    long photons = 0;
    Map<String, Long> metrics = Map.of();
    for (int i = 0; i < warmups + repetitions; i++) {
      long started = System.nanoTime();
      Dataset<Row> q = query(spark, files, catalog, allowed, box);
      q.queryExecution().executedPlan(); // plans the scan's partitions
      double planned = (System.nanoTime() - started) / 1e9;
      Row row = q.collectAsList().get(0);
      double done = (System.nanoTime() - started) / 1e9;
      if (i >= warmups) {
        planning.add(planned);
        whole.add(done);
        photons = row.getLong(0);
        metrics = Atl03ScanMetrics.of(q);
      }
    }
    return new PlanningRun(store, granules, box == null ? "full scan" : "1 % bbox",
        catalog == null ? "files" : "catalog", new Timings(planning), new Timings(whole), photons, metrics);
  }

  long metric(String name) {
    return metrics.getOrDefault(name, 0L);
  }
}
