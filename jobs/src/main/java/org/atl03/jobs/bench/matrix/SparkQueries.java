package org.atl03.jobs.bench.matrix;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.atl03.jobs.verify.PhotonChecksums;

/**
 * The queries as Spark SQL on photons under the atl03 column names, and their result as one aggregation: count,
 * mean h_ph and per column the sum mod 2^64 of {@link PhotonChecksums#hash} ({@link PhotonChecksums#sums}).
 */
final class SparkQueries {

  private SparkQueries() {}

  /** The query's filter on {@code photons}; GeoParquet also gets the bbox covering predicates (row-group pruning). */
  static Dataset<Row> filter(Dataset<Row> photons, BenchQuery query, QueryParameters p, BenchFormat format) {
    return switch (query) {
      case Q1 -> photons.filter(col("beam").equalTo("gt1l"));
      case Q2, Q6 -> photons;
      case Q3 -> {
        Column box = col("lat_ph").between(p.south(), p.north()).and(col("lon_ph").between(p.west(), p.east()));
        if (format == BenchFormat.GEOPARQUET) {
          // Sedona prunes files only; these let Parquet skip row groups by the covering column's statistics
          box = box.and(col("bbox.xmin").leq(p.east())).and(col("bbox.xmax").geq(p.west()))
              .and(col("bbox.ymin").leq(p.north())).and(col("bbox.ymax").geq(p.south()));
        }
        yield photons.filter(box);
      }
      case Q4 -> photons.filter(col("delta_time").between(p.timeStart(), p.timeEnd()));
      case Q5 -> photons.filter(expr("ST_Contains(ST_GeomFromWKT('" + p.polygonWkt()
          + "'), ST_Point(lon_ph, lat_ph))"));
    };
  }

  /** count, avg(h_ph) and the checksums of the query's columns, in one aggregation. */
  static Dataset<Row> result(Dataset<Row> filtered, BenchQuery query) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(avg(col("h_ph").cast("double")));
    aggregates.addAll(PhotonChecksums.aggregates(filtered, query.columns()));
    return filtered.agg(count(lit(1)), aggregates.toArray(new Column[0]));
  }

  static CellResult.QueryResult read(Row row, BenchQuery query) {
    Map<String, String> checksums = new LinkedHashMap<>();
    PhotonChecksums.read(row, 2, query.columns()).forEach((c, v) -> checksums.put(c, ChecksumAccumulator.hex(v)));
    return new CellResult.QueryResult(row.getLong(0), row.isNullAt(1) ? null : row.getDouble(1), checksums);
  }
}
