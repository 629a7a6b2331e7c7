package org.atl03.jobs.bench.scan;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.bench.BboxChoice;
import org.atl03.jobs.bench.BenchColumns;

/**
 * Our source, as a user runs it: {@code spark.read.format("atl03")} and an aggregation over the five photon
 * columns. Every column is used by the aggregation, so column pruning keeps (and the reader decodes) all five.
 */
final class OurScan {

  /** One executed query: its photons (rows after Spark's filters), a checksum and the scan's metrics. */
  record Result(long photons, double checksum, Map<String, Long> metrics) {
    long metric(String name) {
      Long value = metrics.get(name);
      if (value == null) {
        throw new IllegalStateException("the atl03 scan reports no metric " + name + ": " + metrics.keySet());
      }
      return value;
    }
  }

  private final SparkSession session;
  private final String granule;
  private final String catalog;
  private final String allowedPrefixes;

  OurScan(SparkSession session, Path granule) {
    this(session, granule.toAbsolutePath().toUri().toString(), null, null);
  }

  private OurScan(SparkSession session, String granule, String catalog, String allowedPrefixes) {
    this.session = session;
    this.granule = granule;
    this.catalog = catalog;
    this.allowedPrefixes = allowedPrefixes;
  }

  /** The same queries planned from a catalog ({@code ./atl03 index}) of granules under {@code allowedPrefixes}. */
  static OurScan ofCatalog(SparkSession session, Path catalog, String allowedPrefixes) {
    return new OurScan(session, null, catalog.toAbsolutePath().toString(), allowedPrefixes);
  }

  Dataset<Row> photons() {
    return catalog == null ? session.read().format("atl03").load(granule)
        : session.read().format("atl03").option("catalog", catalog).option("allowedPrefixes", allowedPrefixes).load();
  }

  /** All photons of all beams. */
  Result fullScan() {
    return aggregate(photons());
  }

  /**
   * The source alone: the scan node of {@code select(the five columns)} executed columnar, counting each batch's
   * rows, so Spark's ColumnarToRow conversion and the aggregation are left out. The source fills its batches
   * (decoded, copied into column vectors) before handing them over, so its whole work is timed.
   */
  Result scanOnly() {
    Dataset<Row> query = photons().select(BenchColumns.SCANNED.stream().map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new));
    BatchScanExec scan = Atl03ScanMetrics.scan(query);
    if (!scan.supportsColumnar()) {
      throw new IllegalStateException("the atl03 scan is not columnar: " + scan);
    }
    long rows = scan.executeColumnar().toJavaRDD().mapPartitions(OurScan::countRows).fold(0L, Long::sum);
    return new Result(rows, Double.NaN, Atl03ScanMetrics.of(scan));
  }

  private static Iterator<Long> countRows(Iterator<ColumnarBatch> batches) {
    long rows = 0;
    while (batches.hasNext()) {
      rows += batches.next().numRows();
    }
    return List.of(rows).iterator();
  }

  /** The photons inside a lat/lon box (pushed down to the scan, re-checked by Spark). */
  Result bbox(BboxChoice.Box box) {
    return aggregate(photons().filter(inside(box)));
  }

  /** (beam, photon_index) of each photon inside the box: which chunks the result needed. Not timed. */
  List<Row> bboxPhotonIndexes(BboxChoice.Box box) {
    return photons().filter(inside(box)).select("beam", "photon_index").collectAsList();
  }

  private static Column inside(BboxChoice.Box box) {
    return col("lat_ph").between(box.south(), box.north()).and(col("lon_ph").between(box.west(), box.east()));
  }

  private static Result aggregate(Dataset<Row> photons) {
    List<Column> aggregates = new ArrayList<>();
    for (String c : BenchColumns.SCANNED) {
      // signal_conf_ph is an array (N×5 in the file): sum its first element, which touches the decoded values
      aggregates.add(sum(c.equals("signal_conf_ph") ? col(c).getItem(0) : col(c)));
    }
    Dataset<Row> query = photons.agg(count(lit(1)), aggregates.toArray(new Column[0]));
    Row row = query.collectAsList().get(0);
    double checksum = 0;
    for (int i = 1; i < row.size(); i++) {
      checksum += row.isNullAt(i) ? 0 : ((Number) row.get(i)).doubleValue();
    }
    return new Result(row.getLong(0), checksum, Atl03ScanMetrics.of(query));
  }
}
