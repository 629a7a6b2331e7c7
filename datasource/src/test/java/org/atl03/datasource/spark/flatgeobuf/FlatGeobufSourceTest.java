package org.atl03.datasource.spark.flatgeobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.atl03.datasource.spark.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBReader;

/**
 * format("flatgeobuf") on flatgeobuf's own test files, checked against GDAL's reader (ogrinfo / ogr2ogr).
 */
class FlatGeobufSourceTest {

  private static SparkSession spark;
  private static Path dir;

  @BeforeAll
  static void setUp() {
    String fixtures = System.getProperty("atl03.fixtures", "../../shared/fixtures");
    dir = Path.of(fixtures, "flatgeobuf");
    assumeTrue(Files.isDirectory(dir), "FlatGeobuf fixtures absent (" + dir.toAbsolutePath()
        + "); set -Datl03.fixtures to the shared fixtures folder");
    spark = SparkTestSupport.localSpark();
  }

  static boolean gdal() {
    try {
      return new ProcessBuilder("ogrinfo", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    return out;
  }

  /** "Feature Count: N" of ogrinfo -so -al. */
  static long ogrCount(Path file) throws Exception {
    for (String line : run("ogrinfo", "-so", "-al", file.toString()).split("\n")) {
      if (line.startsWith("Feature Count:")) {
        return Long.parseLong(line.substring("Feature Count:".length()).trim());
      }
    }
    throw new AssertionError("no feature count from ogrinfo on " + file);
  }

  private Path fixture(String name) {
    return dir.resolve(name);
  }

  @Test
  void countriesWholeHasGdalsFeatureCountAndValidPolygons() throws Exception {
    assumeTrue(gdal(), "gdal-bin (ogrinfo) not installed: bin/ensure-system-deps installs it");
    Dataset<Row> all = spark.read().format("flatgeobuf").load(fixture("countries.fgb").toString());
    assertThat(all.schema().fieldNames()).containsExactly("id", "name", "geometry");
    assertThat(all.schema().apply("geometry").dataType()).isEqualTo(DataTypes.BinaryType);
    List<Row> rows = all.collectAsList();
    assertThat((long) rows.size()).isEqualTo(ogrCount(fixture("countries.fgb"))).isGreaterThan(100);
    WKBReader wkb = new WKBReader();
    for (Row r : rows) {
      Geometry g = wkb.read((byte[]) r.getAs("geometry"));
      assertThat(g.getGeometryType()).as(r.getString(1)).isIn("MultiPolygon", "Polygon");
      assertThat(g.isEmpty()).isFalse();
    }
    Map<String, Long> m = SparkTestSupport.scanMetrics(all);
    assertThat(m.get("featuresRead")).isEqualTo(rows.size());
  }

  @Test
  void countriesBboxSelectsGdalsFeaturesAndReadsLessThanTheFile() throws Exception {
    assumeTrue(gdal(), "gdal-bin (ogr2ogr) not installed: bin/ensure-system-deps installs it");
    long fileSize = Files.size(fixture("countries.fgb"));
    for (double[] b : List.of(new double[] {5, 45, 15, 55}, new double[] {-80, -10, -60, 5},
        new double[] {100, -45, 155, -10})) {
      String bbox = b[0] + "," + b[1] + "," + b[2] + "," + b[3];
      String csv = run("ogr2ogr", "-f", "CSV", "/vsistdout/", "-spat", "" + b[0], "" + b[1], "" + b[2], "" + b[3],
          fixture("countries.fgb").toString());
      Set<String> expected = new TreeSet<>();
      for (String line : csv.split("\n")) {
        if (!line.isBlank() && !line.startsWith("id,")) {
          expected.add(line.split(",")[0].trim());
        }
      }
      assertThat(expected).as(bbox).isNotEmpty();
      Dataset<Row> inBox = spark.read().format("flatgeobuf").option("bbox", bbox)
          .load(fixture("countries.fgb").toString()).select("id", "name");
      Set<String> ids = inBox.collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toCollection(TreeSet::new));
      assertThat(ids).as(bbox).isEqualTo(expected);
      Map<String, Long> m = SparkTestSupport.scanMetrics(inBox);
      assertThat(m.get("bytesRead")).as(bbox).isPositive().isLessThan(fileSize / 2);
      assertThat(m.get("featuresRead")).as(bbox).isGreaterThanOrEqualTo(ids.size()).isLessThan(179);
    }
  }

  @Test
  void emptyFileHasTheColumnsAndNoRows() throws Exception {
    Dataset<Row> empty = spark.read().format("flatgeobuf").load(fixture("empty.fgb").toString());
    assertThat(empty.schema().fieldNames())
        .containsExactly("quadkey", "avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices", "geometry");
    assertThat(empty.count()).isZero();
    assertThat(spark.read().format("flatgeobuf").option("bbox", "-180,-90,180,90")
        .load(fixture("empty.fgb").toString()).count()).isZero();
  }

  @Test
  void unknownFeatureCountIsReadToTheEndOfTheFile() throws Exception {
    assumeTrue(gdal(), "gdal-bin (ogrinfo) not installed: bin/ensure-system-deps installs it");
    Path f = fixture("unknown_feature_count.fgb");
    List<Row> rows = spark.read().format("flatgeobuf").load(f.toString()).collectAsList();
    assertThat((long) rows.size()).isEqualTo(ogrCount(f));
    Map<String, String> gdal = ogrValues(f);
    Row r = rows.get(0);
    assertThat(r.getAs("quadkey").toString()).isEqualTo(gdal.get("quadkey"));
    assertThat(r.getAs("avg_d_kbps").toString()).isEqualTo(gdal.get("avg_d_kbps"));
    assertThat(r.getAs("devices").toString()).isEqualTo(gdal.get("devices"));
    Geometry g = new WKBReader().read((byte[]) r.getAs("geometry"));
    assertThat(g.getGeometryType()).isEqualTo("Polygon");
    // with a box the file (no index) is scanned and the feature kept only when it intersects
    assertThat(spark.read().format("flatgeobuf").option("bbox", "-70,18,-69.9,18.5").load(f.toString()).count())
        .isEqualTo(1);
    assertThat(spark.read().format("flatgeobuf").option("bbox", "0,0,1,1").load(f.toString()).count()).isZero();
  }

  /** "name (Type) = value" lines of ogrinfo -al for a one-feature file. */
  static Map<String, String> ogrValues(Path f) throws Exception {
    Map<String, String> values = new HashMap<>();
    for (String line : run("ogrinfo", "-al", "-q", f.toString()).split("\n")) {
      String t = line.trim();
      int paren = t.indexOf(" (");
      int eq = t.indexOf(") = ");
      if (paren > 0 && eq > paren) {
        values.put(t.substring(0, paren), t.substring(eq + 4));
      }
    }
    return values;
  }

  @Test
  void everyPropertyTypeParsesToGdalsValues() throws Exception {
    assumeTrue(gdal(), "gdal-bin (ogrinfo) not installed: bin/ensure-system-deps installs it");
    Path f = fixture("alldatatypes.fgb");
    Dataset<Row> df = spark.read().format("flatgeobuf").load(f.toString());
    assertThat(df.schema().apply("ubyte").dataType()).isEqualTo(DataTypes.ShortType);
    assertThat(df.schema().apply("ulong").dataType()).isEqualTo(DataTypes.createDecimalType(20, 0));
    assertThat(df.schema().apply("binary").dataType()).isEqualTo(DataTypes.BinaryType);
    List<Row> rows = df.collectAsList();
    assertThat(rows).hasSize(1);
    Row r = rows.get(0);
    Map<String, String> gdal = ogrValues(f);
    List<String> checked = new ArrayList<>();
    for (String name : List.of("byte", "ubyte", "short", "ushort", "int", "uint", "long", "string", "json")) {
      assertThat(r.getAs(name).toString()).as(name).isEqualTo(gdal.get(name));
      checked.add(name);
    }
    assertThat((Boolean) r.getAs("bool")).isEqualTo(gdal.get("bool").equals("1"));
    // GDAL prints the ulong as a 15-digit double; ours is exact (the file holds 8 bytes 0xff: 2^64 - 1)
    java.math.BigDecimal ulong = r.getAs("ulong");
    assertThat(ulong.doubleValue()).isCloseTo(Double.parseDouble(gdal.get("ulong")),
        org.assertj.core.api.Assertions.withinPercentage(1e-10));
    assertThat(ulong.toBigInteger()).isEqualTo(java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE));
    assertThat(((Number) r.getAs("float")).doubleValue()).isEqualTo(Double.parseDouble(gdal.get("float")));
    assertThat(((Number) r.getAs("double")).doubleValue()).isEqualTo(Double.parseDouble(gdal.get("double")));
    // GDAL prints binaries as hex
    StringBuilder hex = new StringBuilder();
    for (byte b : (byte[]) r.getAs("binary")) {
      hex.append(String.format("%02X", b));
    }
    assertThat(hex.toString()).isEqualTo(gdal.get("binary"));
    // datetime stays the stored ISO 8601 text; GDAL reformats it as YYYY/MM/DD hh:mm:ss+00
    String dt = r.getAs("datetime");
    assertThat(dt.substring(0, 19).replace('-', '/').replace('T', ' '))
        .isEqualTo(gdal.get("datetime").substring(0, 19));
    assertThat(checked).hasSize(9);
  }

  @Test
  void anUnknownOptionFailsListingTheKnownOnesAndEveryNamedOptionIsKnown() {
    assertThatThrownBy(() -> spark.read().format("flatgeobuf").option("bbx", "0,0,1,1").load("/any.fgb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format(\"flatgeobuf\") has no option bbx")
        .hasMessageContaining("bbox, featuresPerPartition, maxGapBytes, path, paths");
    assertThat(FlatGeobufReadOptions.ALL).containsExactlyInAnyOrderElementsOf(
        SparkTestSupport.optionNames(FlatGeobufReadOptions.class));
  }

  @Test
  void notAFlatGeobufFileIsNamed(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.fgb");
    Files.writeString(bad, "this is not a flatgeobuf file at all");
    assertThatThrownBy(() -> spark.read().format("flatgeobuf").load(bad.toString()).count())
        .hasMessageContaining("bad.fgb").hasMessageContaining("not a FlatGeobuf file");
  }
}
