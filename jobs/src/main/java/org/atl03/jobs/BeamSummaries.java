package org.atl03.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Per-beam summaries of granules, computed by the {@code atl03} data source. */
final class BeamSummaries {

  private BeamSummaries() {}

  /** Computes and prints the summaries. */
  static int scanAndPrint(SparkSession session, List<String> locations, String where, PrintStream out) {
    return scanAndPrint(session, locations, where, "fail", out);
  }

  /**
   * Computes and prints the summaries; with {@code onCorruptGranule} "skip", also every granule (or partition) the
   * scan skipped as corrupt, with the reason.
   */
  static int scanAndPrint(SparkSession session, List<String> locations, String where, String onCorruptGranule,
                          PrintStream out) {
    long started = System.nanoTime();
    Dataset<Row> query = query(session, locations, where, onCorruptGranule);
    List<BeamSummary> summaries = collect(query);
    BeamSummary.print(summaries, out);
    List<String> skipped = org.atl03.datasource.spark.atl03.Atl03ScanMetrics.skipped(query);
    if (!skipped.isEmpty()) {
      out.printf("skipped %d corrupt granule(s) or partition(s) (onCorruptGranule=skip):%n", skipped.size());
      skipped.forEach(s -> out.println("  " + s));
    }
    out.printf("scanned in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return 0;
  }

  /** One summary per (granule, beam) that has rows after {@code where} (a SQL predicate, or null). */
  static List<BeamSummary> compute(SparkSession session, List<String> locations, String where) {
    return collect(query(session, locations, where, "fail"));
  }

  private static Dataset<Row> query(SparkSession session, List<String> locations, String where,
                                    String onCorruptGranule) {
    Dataset<Row> photons = session.read().format("atl03").option("onCorruptGranule", onCorruptGranule)
        .load(locations.toArray(new String[0]));
    if (where != null && !where.isBlank()) {
      photons = photons.where(where);
    }
    return photons
        .groupBy("granule", "beam", "beam_strength")
        .agg(count(lit(1)).as("photons"), countDistinct("segment_id").as("segments"), sum("h_ph").as("h_sum"))
        .orderBy(col("granule"), col("beam"));
  }

  private static List<BeamSummary> collect(Dataset<Row> query) {
    return query
        .collectAsList()
        .stream()
        .map(r -> new BeamSummary(r.getString(0), r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
            r.getDouble(5)))
        .toList();
  }
}
