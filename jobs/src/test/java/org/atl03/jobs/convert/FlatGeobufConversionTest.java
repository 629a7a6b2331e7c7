package org.atl03.jobs.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convert --to flatgeobuf on a small synthetic granule: every photon round-trips, and GDAL agrees on a box. */
class FlatGeobufConversionTest {

  @TempDir static Path tmp;
  private static SparkSession spark;
  private static List<Path> granules;
  private static Path fgb;
  private static List<String> lines;

  @BeforeAll
  static void convert() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("flatgeobuf conversion test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    granules = Generator.generate(new GeneratorOptions(tmp.resolve("granules"), 1, 8000, 3, Layout.V006));
    String out = tmp.resolve("out").toString();
    lines = new FlatGeobufConversion().convert(granules.stream().map(Path::toString).toList(), out,
        new ConvertSettings(new Configuration(), 0, false), spark);
    String name = granules.get(0).getFileName().toString().replace(".h5", ".fgb");
    fgb = tmp.resolve("out").resolve("flatgeobuf").resolve(name);
  }

  @Test
  void oneFilePerGranuleWrittenAtomically() throws IOException {
    assertThat(lines).hasSize(1);
    assertThat(fgb).exists();
    try (var files = Files.list(fgb.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly(fgb.getFileName().toString());
    }
  }

  @Test
  void everyPhotonRoundTripsWithEveryColumn() {
    Dataset<Row> original = spark.read().format("atl03").load(granules.get(0).toString())
        .select("granule", "beam", "beam_strength", "photon_index", "segment_id", "delta_time", "lon_ph", "lat_ph",
            "h_ph", "signal_conf_ph", "quality_ph");
    Dataset<Row> back = new FlatGeobufConversion().read(spark, tmp.resolve("out").toString());
    assertThat(back.columns()).contains("granule", "beam", "photon_index", "delta_time", "lat_ph", "lon_ph", "h_ph",
        "signal_conf_ph", "quality_ph");
    long n = original.count();
    assertThat(n).isGreaterThan(20_000);
    assertThat(back.count()).isEqualTo(n);
    // per-column checksums over all photons, order-independent (a hash of each value, summed as longs)
    String sums = "sum(hash(granule)), sum(hash(beam)), sum(hash(beam_strength)), sum(photon_index),"
        + " sum(hash(segment_id)), sum(hash(delta_time)), sum(hash(lon_ph)), sum(hash(lat_ph)), sum(hash(h_ph)),"
        + " sum(hash(signal_conf_ph)), sum(hash(quality_ph))";
    Row a = original.selectExpr(sums.split(",(?![^(]*\\))")).first();
    Row b = back.selectExpr(sums.split(",(?![^(]*\\))")).first();
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)).as(original.columns()[i] + " checksum").isEqualTo(a.get(i));
    }
    // and photon by photon: no photon differs in any column
    Dataset<Row> diff = original.except(back);
    assertThat(diff.count()).isZero();
  }

  @Test
  void gdalCountsTheSameFeaturesInABoxAsOurReaderWhichReadsLess() throws Exception {
    assumeTrue(gdal(), "gdal-bin (ogrinfo) not installed: bin/ensure-system-deps installs it");
    // a box around ~1 % of one beam's photons
    Row box = spark.read().format("atl03").load(granules.get(0).toString())
        .where("beam = 'gt2l' and photon_index between 3000 and 3300")
        .selectExpr("min(lon_ph)", "min(lat_ph)", "max(lon_ph)", "max(lat_ph)").first();
    double w = box.getDouble(0);
    double s = box.getDouble(1);
    double e = box.getDouble(2);
    double n = box.getDouble(3);
    long gdalCount = ogrCount(fgb, w, s, e, n);
    assertThat(gdalCount).isGreaterThanOrEqualTo(301);
    Dataset<Row> ours = spark.read().format("flatgeobuf").option("bbox", w + "," + s + "," + e + "," + n)
        .load(fgb.toString());
    assertThat(ours.count()).isEqualTo(gdalCount);
    Dataset<Row> pushed = spark.read().format("flatgeobuf").load(fgb.toString())
        .where("x >= " + w + " and x <= " + e + " and y >= " + s + " and y <= " + n).select("photon_index");
    assertThat(pushed.count()).isEqualTo(gdalCount);
    Dataset<Row> executed = ours.select("photon_index", "h_ph");
    executed.collectAsList();
    Map<String, Long> m = metrics(executed);
    assertThat(m.get("bytesRead")).isPositive().isLessThan(Files.size(fgb) / 10);
    assertThat(m.get("featuresRead")).isGreaterThanOrEqualTo(gdalCount);
  }

  static boolean gdal() {
    try {
      return new ProcessBuilder("ogrinfo", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static long ogrCount(Path file, double w, double s, double e, double n) throws Exception {
    Process p = new ProcessBuilder("ogrinfo", "-so", "-al", "-spat", "" + w, "" + s, "" + e, "" + n,
        file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    for (String line : out.split("\n")) {
      if (line.startsWith("Feature Count:")) {
        return Long.parseLong(line.substring("Feature Count:".length()).trim());
      }
    }
    throw new AssertionError("no feature count from ogrinfo: " + out);
  }

  static Map<String, Long> metrics(Dataset<Row> executed) {
    BatchScanExec scan = find(executed.queryExecution().executedPlan());
    Map<String, Long> values = new HashMap<>();
    scala.collection.Iterator<scala.Tuple2<String, org.apache.spark.sql.execution.metric.SQLMetric>> it =
        scan.metrics().iterator();
    while (it.hasNext()) {
      var t = it.next();
      values.put(t._1(), t._2().value());
    }
    return values;
  }

  private static BatchScanExec find(SparkPlan plan) {
    if (plan instanceof BatchScanExec scan) {
      return scan;
    }
    scala.collection.Iterator<SparkPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      BatchScanExec found = find(children.next());
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
