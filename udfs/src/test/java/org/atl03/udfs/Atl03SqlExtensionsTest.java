package org.atl03.udfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions and the envelope pushdown in a session configured as on EMR: {@code spark.sql.extensions} naming
 * Sedona's and our extensions classes, nothing registered by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Atl03SqlExtensionsTest {

  private SparkSession spark;

  @BeforeAll
  void start() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("atl03 sql extensions test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", Atl03Sql.EXTENSIONS)
        .config("spark.sql.maxMetadataStringLength", "1000") // whole pushed-filter lists in plans
        .getOrCreate();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private Object value(String sql) {
    return spark.sql("SELECT " + sql).first().get(0);
  }

  @Test
  void theConfiguredSessionHasTheFunctionsTheRuleAndSedona() {
    assertThat(Atl03Sql.isRegistered(spark)).isTrue();
    assertThat(Atl03Sql.register(spark)).isSameAs(spark);
    assertThat(value("ST_AsText(ST_Point(1.5, 2.5))")).isEqualTo("POINT (1.5 2.5)");
    List<String> described = spark.sql("DESCRIBE FUNCTION atl03_signal").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
    assertThat(String.join("\n", described)).contains("dynamic (-1)");
  }

  @Test
  void timeFromDeltaTimeInGeneratedAndInterpretedCode() {
    assertThat(((Timestamp) value("atl03_time(0D)")).toInstant()).isEqualTo(Instant.parse("2018-01-01T00:00:00Z"));
    // across the 2016-12-31 leap second: -365 days - 2 s is one UTC second before 2017
    long year2017 = 365L * 86_400;
    Dataset<Row> times = spark.range(3).selectExpr("atl03_time(-" + year2017 + " - id) AS t",
        "atl03_delta_time(atl03_time(-" + year2017 + " - id)) AS back");
    for (String codegen : List.of("true", "false")) {
      spark.conf().set("spark.sql.codegen.wholeStage", codegen);
      spark.conf().set("spark.sql.codegen.factoryMode", codegen.equals("true") ? "CODEGEN_ONLY" : "NO_CODEGEN");
      try {
        List<Row> rows = times.collectAsList();
        assertThat(rows.get(0).getTimestamp(0).toInstant()).isEqualTo(Instant.parse("2017-01-01T00:00:00Z"));
        assertThat(rows.get(2).getTimestamp(0).toInstant()).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThat(rows.get(0).getDouble(1)).isEqualTo(-year2017);
        assertThat(rows.get(2).getDouble(1)).isEqualTo(-year2017 - 2.0);
      } finally {
        spark.conf().unset("spark.sql.codegen.wholeStage");
        spark.conf().unset("spark.sql.codegen.factoryMode");
      }
    }
    assertThat(((Number) value("atl03_delta_time('2018-01-02 00:00:00Z')")).doubleValue()).isEqualTo(86_400.0);
  }

  @Test
  void signalConfidenceBySurfaceNameOrIndexAndSlideRulesCnf() {
    String conf = "CAST(array(4, -1, 0, 2, 1) AS array<tinyint>)";
    assertThat(value("atl03_signal(" + conf + ", 'land')")).isEqualTo((byte) 4);
    assertThat(value("atl03_signal(" + conf + ", 'sea ice')")).isEqualTo((byte) 0);
    assertThat(value("atl03_signal(" + conf + ", 3)")).isEqualTo((byte) 2);
    assertThat(value("atl03_signal(array(-1, 3, 0, 2, 1), 'dynamic')")).isEqualTo((byte) 3);
    assertThat(value("atl03_is_signal(" + conf + ", 'land_ice', 'low')")).isEqualTo(true);
    assertThat(value("atl03_is_signal(" + conf + ", 'land_ice', 'medium')")).isEqualTo(false);
    assertThat(value("atl03_is_signal(" + conf + ", 'ocean', 0)")).isEqualTo(false);
    assertThat(value("atl03_is_signal(" + conf + ", 'inland_water', array('buffer', 'high'))")).isEqualTo(true);
    assertThat(value("atl03_is_signal(" + conf + ", 'land_ice', array(3, 4))")).isEqualTo(false);
    assertThat(value("atl03_confidence_name(atl03_signal(" + conf + ", 'ocean'))")).isEqualTo("not_considered");
    // surface and threshold from columns, checked per row
    List<Row> rows = spark.sql("SELECT atl03_is_signal(c, s, m) FROM VALUES (array(4, -1, 0, 2, 1), 0, 4), "
        + "(array(4, -1, 0, 2, 1), 1, 0) AS t(c, s, m)").collectAsList();
    assertThat(rows.stream().map(r -> r.getBoolean(0)).toList()).containsExactly(true, false);
    assertThat(value("atl03_signal(CAST(NULL AS array<tinyint>), 'land')")).isNull();
  }

  @Test
  void qualityBeamStrengthAndAlongTrack() {
    assertThat(value("atl03_quality_ok(CAST(0 AS tinyint))")).isEqualTo(true);
    assertThat(value("atl03_quality_ok(CAST(1 AS tinyint))")).isEqualTo(false);
    assertThat(value("atl03_quality_ok(CAST(1 AS tinyint), array('nominal', 'possible_afterpulse'))"))
        .isEqualTo(true);
    assertThat(value("atl03_quality_ok(3, 3)")).isEqualTo(true);
    List<Row> strengths = spark.sql("SELECT b, o, atl03_beam_strength(b, o) FROM VALUES ('gt1l', 0), ('gt1r', 0), "
        + "('gt2l', 1), ('gt3r', 1), ('gt2r', 2) AS t(b, o)").collectAsList();
    assertThat(strengths.stream().map(r -> r.getString(0) + "/" + r.getInt(1) + "=" + r.getString(2)).toList())
        .containsExactly("gt1l/0=strong", "gt1r/0=weak", "gt2l/1=weak", "gt3r/1=strong", "gt2r/2=unknown");
    assertThat(value("atl03_along_track(1000.5D, CAST(12.25 AS float))")).isEqualTo(1012.75);
  }

  @Test
  void badArgumentsAreNamedInTheError() {
    assertThatThrownBy(() -> value("atl03_signal(array(1, 2, 3, 4, 0), 'glacier')"))
        .hasStackTraceContaining("atl03_signal: unknown surface type 'glacier'");
    assertThatThrownBy(() -> value("atl03_is_signal(array(1, 2, 3, 4, 0), 'land', 'certain')"))
        .hasStackTraceContaining("atl03_is_signal: unknown signal confidence 'certain'");
    assertThatThrownBy(() -> value("atl03_signal('x', 'land')"))
        .hasStackTraceContaining("signal_conf_ph must be an array of integers");
    assertThatThrownBy(() -> value("atl03_beam_strength('gt4l', 0)"))
        .hasStackTraceContaining("atl03_beam_strength: not an ATL03 beam: 'gt4l'");
    assertThatThrownBy(() -> value("atl03_time()")).hasStackTraceContaining("takes 1 arguments, got 0");
    assertThatThrownBy(() -> spark.sql("SELECT atl03_signal(array(1, 2, 3, 4, 0), 'land') FROM VALUES (1) AS t(x)")
        .selectExpr("atl03_signal(array(1, 2), 0)").collect()).hasStackTraceContaining("has 2 values");
  }

  @Test
  void aPolygonFileIsReadAsASedonaGeometry(@TempDir Path tmp) throws Exception {
    Path wkt = Files.writeString(tmp.resolve("aoi.wkt"), "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))\n");
    Path geojson = Files.writeString(tmp.resolve("aoi.geojson"), "{\"type\": \"FeatureCollection\", \"features\": ["
        + "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
        + "[[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}}]}");
    for (Path file : List.of(wkt, geojson)) {
      assertThat(value("ST_AsText(atl03_polygon('" + file + "'))")).isEqualTo("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
      assertThat(value("ST_Contains(atl03_polygon('" + file + "'), ST_Point(5D, 5D))")).isEqualTo(true);
      assertThat(value("ST_Contains(atl03_polygon('" + file + "'), ST_Point(11D, 5D))")).isEqualTo(false);
    }
    Path line = Files.writeString(tmp.resolve("line.wkt"), "LINESTRING (0 0, 1 1)");
    assertThatThrownBy(() -> value("atl03_polygon('" + line + "')"))
        .hasStackTraceContaining(line + ": a LineString, not a polygon");
    Path bowtie = Files.writeString(tmp.resolve("bowtie.wkt"), "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
    assertThatThrownBy(() -> value("atl03_polygon('" + bowtie + "')"))
        .hasStackTraceContaining(bowtie + ": invalid polygon: Self-intersection");
    Path garbage = Files.writeString(tmp.resolve("garbage.txt"), "not a polygon");
    assertThatThrownBy(() -> value("atl03_polygon('" + garbage + "')"))
        .hasStackTraceContaining(garbage + ": neither GeoJSON nor WKT");
    assertThatThrownBy(() -> value("atl03_polygon('" + tmp.resolve("absent.wkt") + "')"))
        .hasStackTraceContaining(tmp.resolve("absent.wkt") + ": cannot read the polygon file");
  }

  /** On any source: the envelope's ranges join the filter once, and reach the Parquet scan's pushed filters. */
  @Test
  void theEnvelopeIsAddedOnceAndPushedIntoAParquetScan(@TempDir Path tmp) {
    String dir = tmp.resolve("points").toString();
    spark.range(0, 400).selectExpr("CAST(id % 20 AS double) AS lon", "CAST(id / 20 AS double) AS lat")
        .write().parquet(dir);
    Dataset<Row> inside = spark.read().parquet(dir).where(
        "ST_Contains(ST_GeomFromWKT('POLYGON ((2.5 3.5, 7.5 3.5, 5 8.5, 2.5 3.5))'), ST_Point(lon, lat))");
    LogicalPlan optimized = inside.queryExecution().optimizedPlan();
    List<String> conjuncts = filterConjuncts(optimized);
    assertThat(conjuncts).containsOnlyOnce("(lon >= 2.5D)", "(lon <= 7.5D)", "(lat >= 3.5D)", "(lat <= 8.5D)");
    assertThat(inside.queryExecution().executedPlan().toString())
        .contains("PushedFilters: [IsNotNull(lon), IsNotNull(lat), GreaterThanOrEqual(lon,2.5), "
            + "LessThanOrEqual(lon,7.5), GreaterThanOrEqual(lat,3.5), LessThanOrEqual(lat,8.5)]");
    // the same rows as the spatial test alone, evaluated in Java
    org.locationtech.jts.geom.Geometry triangle = org.atl03.udfs.polygon.PolygonFiles.parse("triangle",
        "POLYGON ((2.5 3.5, 7.5 3.5, 5 8.5, 2.5 3.5))");
    org.locationtech.jts.geom.GeometryFactory f = new org.locationtech.jts.geom.GeometryFactory();
    Set<String> expected = spark.read().parquet(dir).collectAsList().stream()
        .filter(r -> triangle.contains(f.createPoint(new org.locationtech.jts.geom.Coordinate(r.getDouble(0),
            r.getDouble(1)))))
        .map(r -> r.getDouble(0) + "," + r.getDouble(1)).collect(Collectors.toSet());
    assertThat(expected).hasSizeBetween(5, 100);
    assertThat(inside.collectAsList().stream().map(r -> r.getDouble(0) + "," + r.getDouble(1))
        .collect(Collectors.toSet())).isEqualTo(expected);
  }

  static List<String> filterConjuncts(LogicalPlan plan) {
    List<String> out = new java.util.ArrayList<>();
    plan.foreach(node -> {
      if (node instanceof Filter filter) {
        split(filter.condition(), out);
      }
      return scala.runtime.BoxedUnit.UNIT;
    });
    return out;
  }

  private static void split(Expression e, List<String> out) {
    if (e instanceof org.apache.spark.sql.catalyst.expressions.And and) {
      split(and.left(), out);
      split(and.right(), out);
    } else {
      out.add(e.sql());
    }
  }
}
