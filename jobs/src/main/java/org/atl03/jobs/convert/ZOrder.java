package org.atl03.jobs.convert;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The photon order of the GeoParquet and Delta outputs: a Z-order (Morton) key of longitude and latitude, each
 * quantized to 31 bits (~1 cm) and their bits interleaved, so that photons close on the ground are close in the key
 * and a file or row group covers a small area. A plain long computed per row: an order of magnitude cheaper than a
 * geohash string built from a geometry, and the same order (a geohash is this interleaving in base 32).
 */
final class ZOrder {

  static final int BITS = 31;
  private static final long CELLS = 1L << BITS;

  private ZOrder() {}

  /** The key: longitude bits at odd positions, latitude bits at even ones (as a geohash starts with longitude). */
  static long key(double lon, double lat) {
    return spread(quantize(lon, -180, 360)) << 1 | spread(quantize(lat, -90, 180));
  }

  /** The photons range-partitioned into {@code parts} contiguous runs of the key and sorted within each. */
  static Dataset<Row> clustered(Dataset<Row> photons, int parts) {
    Column key = KEY.apply(col("lon_ph"), col("lat_ph"));
    return photons.withColumn("_zorder", key)
        .repartitionByRange(parts, col("_zorder"))
        .sortWithinPartitions("_zorder")
        .drop("_zorder");
  }

  private static final UserDefinedFunction KEY =
      udf((UDF2<Double, Double, Long>) (lon, lat) -> lon == null || lat == null ? null : key(lon, lat),
          DataTypes.LongType);

  /** Cell index in [0, 2^31): NaN and out-of-range values clamp to the edges rather than wrap. */
  static long quantize(double value, double min, double span) {
    double cell = Math.floor((value - min) / span * CELLS);
    if (!(cell > 0)) {
      return 0;
    }
    return Math.min(CELLS - 1, (long) cell);
  }

  /** The low 31 bits of {@code v} moved to the even bit positions 0, 2, ..., 60. */
  static long spread(long v) {
    v &= 0x7fffffffL;
    v = (v | v << 16) & 0x0000ffff0000ffffL;
    v = (v | v << 8) & 0x00ff00ff00ff00ffL;
    v = (v | v << 4) & 0x0f0f0f0f0f0f0f0fL;
    v = (v | v << 2) & 0x3333333333333333L;
    v = (v | v << 1) & 0x5555555555555555L;
    return v;
  }
}
