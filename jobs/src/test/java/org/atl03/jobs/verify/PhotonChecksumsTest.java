package org.atl03.jobs.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.SparkOptions;
import org.junit.jupiter.api.Test;

/** The checksum's long-halves aggregation is the exact sum of the row hashes mod 2^64, in ANSI mode too. */
class PhotonChecksumsTest {

  @Test
  void halvesSumIsTheExactSumMod64WithAndWithoutAnsi() {
    SparkSession spark = new SparkOptions().session("checksum sums test", "local[1]");
    try {
      // every value in range, so that the ANSI pass below evaluates the same rows without cast errors
      Dataset<Row> photons = spark.range(5000).selectExpr("concat('/dir/g', id % 3, '.h5') AS granule",
          "IF(id % 2 = 0, 'gt1l', 'gt2r') AS beam", "id AS photon_index", "CAST(id * 0.25 AS FLOAT) AS h_ph",
          "array(CAST(id % 5 AS TINYINT), CAST(-1 AS TINYINT), CAST(4 AS TINYINT), CAST(id % 128 AS TINYINT),"
              + " CAST(0 AS TINYINT)) AS signal_conf_ph");
      List<String> columns = List.of("h_ph", "signal_conf_ph");
      Map<String, Long> expected = exactMod64(photons, columns);
      for (String ansi : List.of("false", "true")) {
        spark.conf().set("spark.sql.ansi.enabled", ansi);
        PhotonChecksums.Result result = PhotonChecksums.of(photons, columns);
        assertThat(result.photons()).isEqualTo(5000);
        assertThat(result.checksums()).as("ansi " + ansi).isEqualTo(expected);
      }
      // a changed value changes its column's checksum only
      Dataset<Row> changed = photons.withColumn("h_ph", org.apache.spark.sql.functions.expr(
          "IF(photon_index = 17, h_ph + 1, h_ph)"));
      Map<String, Long> after = PhotonChecksums.of(changed, columns).checksums();
      assertThat(after.get("h_ph")).isNotEqualTo(expected.get("h_ph"));
      assertThat(after.get(PhotonChecksums.ROWS)).isEqualTo(expected.get(PhotonChecksums.ROWS));
      assertThat(after.get("signal_conf_ph")).isEqualTo(expected.get("signal_conf_ph"));
    } finally {
      spark.stop();
    }
  }

  /** The definition, computed the slow way: every row's hash collected and summed exactly, then mod 2^64. */
  private static Map<String, Long> exactMod64(Dataset<Row> photons, List<String> columns) {
    List<String> all = new ArrayList<>(List.of(PhotonChecksums.ROWS));
    all.addAll(columns);
    Map<String, Long> sums = new java.util.LinkedHashMap<>();
    for (String c : all) {
      BigInteger total = BigInteger.ZERO;
      for (Row r : photons.select(PhotonChecksums.hash(photons, c)).collectAsList()) {
        total = total.add(BigInteger.valueOf(r.getLong(0)));
      }
      sums.put(c, total.mod(BigInteger.ONE.shiftLeft(64)).longValue());
    }
    return sums;
  }
}
