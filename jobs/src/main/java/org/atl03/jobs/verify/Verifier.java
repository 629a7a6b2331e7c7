package org.atl03.jobs.verify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import scala.collection.JavaConverters;

/**
 * Compares converted formats with the original, query by query: photon count and per-column order-independent
 * checksums ({@link PhotonChecksums}) over the columns both have; on a difference, a few differing photons by
 * (granule, beam, photon_index).
 */
public final class Verifier {

  /** A query: its name, what it selects, and the filter (null: every photon). */
  public record Query(String name, String description, Column filter) {
    Dataset<Row> apply(Dataset<Row> photons) {
      return filter == null ? photons : photons.filter(filter);
    }
  }

  /** One format under one query against the original. */
  public record Comparison(String query, String format, long originalPhotons, long photons, List<String> compared,
      List<String> skipped, List<String> differing) {
    public boolean ok() {
      return originalPhotons == photons && differing.isEmpty();
    }
  }

  /** Every comparison, and for each failed one a readable diff. */
  public record Outcome(List<Comparison> comparisons, List<String> diffs) {
    public boolean ok() {
      return comparisons.stream().allMatch(Comparison::ok);
    }
  }

  static final int EXAMPLES = 5;

  private final Dataset<Row> original;
  private final PrintStream out;

  public Verifier(Dataset<Row> original, PrintStream out) {
    this.original = original;
    this.out = out;
  }

  /** Every photon. */
  public static Query full() {
    return new Query("full", "every photon", null);
  }

  /** Photons with lat_ph in [south, north] and lon_ph in [west, east]. */
  public static Query bbox(double west, double south, double east, double north) {
    return new Query("bbox", String.format(Locale.ROOT, "lon [%.6f, %.6f] lat [%.6f, %.6f]", west, east, south,
        north), col("lat_ph").between(south, north).and(col("lon_ph").between(west, east)));
  }

  /** Photons with delta_time in [start, end]. */
  public static Query time(double start, double end) {
    return new Query("time", String.format(Locale.ROOT, "delta_time [%.6f, %.6f]", start, end),
        col("delta_time").between(start, end));
  }

  /**
   * A box around about {@code fraction} of the photons: the stretch of that many consecutive photons in the middle
   * of the beam with the most photons, boxed by its own lat/lon (neighbouring beams may add photons).
   */
  public static double[] derivedBbox(Dataset<Row> photons, double fraction) {
    long total = photons.count();
    Row top = photons.groupBy("granule", "beam").agg(count(lit(1)).as("n"), min("photon_index").as("lo"),
        max("photon_index").as("hi")).orderBy(desc("n")).first();
    long wanted = Math.max(1, Math.round(total * fraction));
    long lo = ((Number) top.get(3)).longValue();
    long hi = ((Number) top.get(4)).longValue();
    long from = Math.max(lo, (lo + hi) / 2 - wanted / 2);
    Row box = photons.filter(col("granule").equalTo(top.getString(0)).and(col("beam").equalTo(top.getString(1)))
            .and(col("photon_index").between(from, from + wanted - 1)))
        .agg(min("lon_ph"), min("lat_ph"), max("lon_ph"), max("lat_ph")).first();
    return new double[] {box.getDouble(0), box.getDouble(1), box.getDouble(2), box.getDouble(3)};
  }

  /** A delta_time window around about {@code fraction} of the photons, in the middle of the time span. */
  public static double[] derivedTimeWindow(Dataset<Row> photons, double fraction) {
    double[] q = photons.stat().approxQuantile("delta_time", new double[] {0.5 - fraction / 2, 0.5 + fraction / 2},
        1e-4);
    return new double[] {q[0], q[1]};
  }

  /** Compares every format with the original under every query; prints the table and the diffs. */
  public Outcome verify(Map<String, Dataset<Row>> formats, List<Query> queries) {
    List<Comparison> comparisons = new ArrayList<>();
    List<String> diffs = new ArrayList<>();
    List<String> originalColumns = comparableColumns(original);
    for (Query query : queries) {
      out.printf("== %s: %s%n", query.name(), query.description());
      Dataset<Row> base = query.apply(original);
      Map<String, PhotonChecksums.Result> baseByColumns = new LinkedHashMap<>();
      for (Map.Entry<String, Dataset<Row>> format : formats.entrySet()) {
        Dataset<Row> photons = format.getValue();
        List<String> theirs = comparableColumns(photons);
        List<String> compared = new ArrayList<>(originalColumns);
        compared.retainAll(theirs);
        compared.removeAll(PhotonChecksums.KEY);
        List<String> skipped = new ArrayList<>();
        originalColumns.stream().filter(c -> !theirs.contains(c)).forEach(c -> skipped.add(c + " (not in format)"));
        theirs.stream().filter(c -> !originalColumns.contains(c)).forEach(c -> skipped.add(c + " (not in original)"));
        PhotonChecksums.Result expected = baseByColumns.computeIfAbsent(String.join(",", compared),
            k -> PhotonChecksums.of(base, compared));
        Dataset<Row> queried = query.apply(photons);
        PhotonChecksums.Result actual = PhotonChecksums.of(queried, compared);
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, Long> e : expected.checksums().entrySet()) {
          if (!e.getValue().equals(actual.checksums().get(e.getKey()))) {
            differing.add(e.getKey());
          }
        }
        Comparison c = new Comparison(query.name(), format.getKey(), expected.photons(), actual.photons(), compared,
            skipped, differing);
        comparisons.add(c);
        if (!c.ok()) {
          diffs.add(diff(c, base, queried));
        }
      }
    }
    print(comparisons, diffs);
    return new Outcome(comparisons, diffs);
  }

  private static List<String> comparableColumns(Dataset<Row> photons) {
    List<String> columns = new ArrayList<>();
    for (StructField f : photons.schema().fields()) {
      if (PhotonChecksums.comparable(f.dataType())) {
        columns.add(f.name());
      }
    }
    for (String k : PhotonChecksums.KEY) {
      if (!columns.contains(k)) {
        throw new IllegalArgumentException("photons lack the key column " + k + ": " + photons.schema().simpleString());
      }
    }
    return columns;
  }

  /** What differs, with up to {@value #EXAMPLES} photons whose rows differ in the first differing column. */
  private static String diff(Comparison c, Dataset<Row> base, Dataset<Row> queried) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "format %s, query %s: %,d photons vs %,d in the original", c.format(),
        c.query(), c.photons(), c.originalPhotons()));
    s.append(c.differing().isEmpty() ? "" : "; checksums differ in " + String.join(", ", c.differing()));
    String column = c.differing().isEmpty() ? PhotonChecksums.ROWS
        : c.differing().stream().filter(d -> !d.equals(PhotonChecksums.ROWS)).findFirst()
            .orElse(PhotonChecksums.ROWS);
    List<String> keys = List.of("k_granule", "k_beam", "k_photon_index");
    Dataset<Row> a = perKey(base, column, "original");
    Dataset<Row> b = perKey(queried, column, "format");
    List<Row> examples = a.join(b, JavaConverters.asScalaBuffer(keys).toSeq(), "full_outer")
        .filter(col("n_original").eqNullSafe(col("n_format")).and(col("h_original").eqNullSafe(col("h_format")))
            .unary_$bang())
        .orderBy(keys.get(0), keys.get(1), keys.get(2)).limit(EXAMPLES).collectAsList();
    s.append(String.format("%n  photons differing in %s (granule, beam, photon_index): original | %s", column,
        c.format()));
    for (Row r : examples) {
      s.append(String.format(Locale.ROOT, "%n    (%s, %s, %s): %s | %s", r.get(0), r.get(1), r.get(2),
          describe(r, "original"), describe(r, "format")));
    }
    if (examples.isEmpty()) {
      s.append(String.format("%n    (none found by key: the difference is in values the checksum sees only summed)"));
    }
    return s.toString();
  }

  private static String describe(Row r, String side) {
    Object n = r.getAs("n_" + side);
    if (n == null) {
      return "absent";
    }
    long rows = ((Number) n).longValue();
    return (rows == 1 ? "" : rows + " rows, ") + r.getAs("v_" + side);
  }

  private static Dataset<Row> perKey(Dataset<Row> photons, String column, String side) {
    Column[] k = PhotonChecksums.key(photons);
    Column value = column.equals(PhotonChecksums.ROWS) ? lit("row")
        : PhotonChecksums.normalized(photons.col(column), PhotonChecksums.typeOf(photons, column)).cast("string");
    return photons.select(k[0], k[1], k[2], PhotonChecksums.hash(photons, column).as("h"), value.as("v"))
        .groupBy("k_granule", "k_beam", "k_photon_index")
        .agg(count(lit(1)).as("n_" + side), sum(col("h").cast("decimal(38,0)")).as("h_" + side),
            first("v").as("v_" + side));
  }

  private void print(List<Comparison> comparisons, List<String> diffs) {
    out.printf("%n%-6s %-12s %14s %14s %8s  %s%n", "query", "format", "photons", "original", "columns", "result");
    for (Comparison c : comparisons) {
      out.printf(Locale.ROOT, "%-6s %-12s %,14d %,14d %8d  %s%n", c.query(), c.format(), c.photons(),
          c.originalPhotons(), c.compared().size(),
          c.ok() ? "ok" : "DIFFERS" + (c.differing().isEmpty() ? "" : " in " + String.join(", ", c.differing())));
    }
    Map<String, List<String>> skipped = new LinkedHashMap<>();
    comparisons.forEach(c -> skipped.putIfAbsent(c.format(), c.skipped()));
    skipped.forEach((format, columns) -> {
      if (!columns.isEmpty()) {
        out.printf("%s: columns not compared: %s%n", format, String.join(", ", columns));
      }
    });
    for (String d : diffs) {
      out.println();
      out.println(d);
    }
  }
}
