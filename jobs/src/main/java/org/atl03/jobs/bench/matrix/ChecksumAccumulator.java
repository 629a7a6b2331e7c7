package org.atl03.jobs.bench.matrix;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.Platform;
import org.atl03.jobs.verify.PhotonChecksums;

/**
 * The query result of {@link SparkQueries} computed outside Spark, for readers that hand over arrays (the jhdf
 * baseline): per column the sum mod 2^64 of Spark's own xxhash64(granule, beam, photon_index, column, value) with
 * the value normalised as {@link PhotonChecksums} does (integers and array elements as long, floats widened to
 * double; -0.0 hashed as 0.0 and NaN canonical, as Spark hashes doubles). Same definition as bench_peers.py.
 */
final class ChecksumAccumulator {

  private static final long SPARK_SEED = 42;

  private final List<String> columns;
  private final long[] sums;
  private long photons;
  private double hSum;

  ChecksumAccumulator(List<String> columns) {
    this.columns = List.copyOf(columns);
    this.sums = new long[columns.size() + 1];
  }

  /**
   * Adds the photons {@code index} of one beam; {@code values} per column: double[], float[] or byte[][] (N×5),
   * holding exactly those photons.
   */
  void add(String granule, String beam, long[] index, Map<String, Object> values) {
    long key = string(beam, string(granule, SPARK_SEED));
    for (int i = 0; i < index.length; i++) {
      long row = XXH64.hashLong(index[i], key);
      sums[0] += row;
      for (int c = 0; c < columns.size(); c++) {
        String column = columns.get(c);
        long h = string(column, row);
        Object v = values.get(column);
        if (v instanceof double[] d) {
          h = XXH64.hashLong(doubleBits(d[i]), h);
        } else if (v instanceof float[] f) {
          h = XXH64.hashLong(doubleBits(f[i]), h);
        } else if (v instanceof byte[][] b) {
          for (byte e : b[i]) {
            h = XXH64.hashLong(e, h);
          }
        } else {
          throw new IllegalArgumentException("column " + column + ": unsupported array " + v);
        }
        sums[c + 1] += h;
      }
      Object heights = values.get("h_ph");
      if (heights instanceof float[] f) {
        hSum += f[i];
      }
    }
    photons += index.length;
  }

  CellResult.QueryResult result() {
    Map<String, String> checksums = new LinkedHashMap<>();
    checksums.put(PhotonChecksums.ROWS, hex(sums[0]));
    for (int c = 0; c < columns.size(); c++) {
      checksums.put(columns.get(c), hex(sums[c + 1]));
    }
    return new CellResult.QueryResult(photons, columns.contains("h_ph") && photons > 0 ? hSum / photons : null,
        checksums);
  }

  static String hex(long value) {
    return String.format(Locale.ROOT, "%016x", value);
  }

  private static long string(String s, long seed) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return XXH64.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length, seed);
  }

  private static long doubleBits(double v) {
    return Double.doubleToLongBits(v == 0.0 ? 0.0 : v);
  }
}
