package org.atl03.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.Atl03;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.udfs.Atl03Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKTReader;

/**
 * A Sedona point-in-polygon filter on the atl03 source: its envelope reaches the scan as a pushed bbox, the scan
 * decodes no more chunks and reads no more bytes than the envelope's bbox query, and the rows are exactly the
 * photons a brute-force JTS test of a full scan keeps. On a generated granule and on the real NASA subset.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolygonPushdownTest {

  private static final GeometryFactory JTS = new GeometryFactory();

  private SparkSession base;
  private SparkSession spark;
  private Path midLatitude;
  private Path tmp;

  @BeforeAll
  void start(@TempDir Path tmp) {
    Configurator.setLevel("io.jhdf", Level.WARN);
    this.tmp = tmp;
    midLatitude = Generator.generate(new GeneratorOptions(tmp.resolve("v006"), 2, 60_000, 21, Layout.V006)).get(1);
    base = SparkSession.builder()
        .master("local[2]")
        .appName("atl03 polygon tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false") // plain plans, so the scan node and its metrics are found
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    // a session without the extensions: register gives one that has them (the local one-call path)
    spark = Atl03Sql.register(base);
  }

  @AfterAll
  void stop() {
    if (base != null) {
      base.stop();
    }
  }

  @Test
  void aPolygonOnAGeneratedGranuleReadsNoMoreThanItsEnvelopeAndReturnsExactlyThePhotonsInside() throws Exception {
    Geometry diamond = diamondOverTheMiddle(midLatitude, 0.45, 0.55);
    Map<String, Long> polygon = assertExact(midLatitude, diamond,
        "ST_Contains(ST_GeomFromWKT('" + diamond.toText() + "'), ST_Point(lon_ph, lat_ph))", Map.of(), 500);
    // the same columns unfiltered: the envelope (10 % of the latitudes) prunes most of the granule
    Map<String, Long> full = metrics(spark.read().format("atl03").load(midLatitude.toString())
        .select("beam", "photon_index", "lon_ph", "lat_ph"));
    assertThat(polygon.get("photonsScanned")).as("photons decoded: polygon %s, full scan %s", polygon, full)
        .isLessThan(full.get("photonsScanned") / 3);
    assertThat(polygon.get("chunksDecoded")).isLessThan(full.get("chunksDecoded"));
  }

  @Test
  void aGeoJsonPolygonFileAndTheSourcesGeometryColumnArePushedToo() throws Exception {
    Geometry diamond = diamondOverTheMiddle(midLatitude, 0.30, 0.36);
    Path geojson = Files.writeString(tmp.resolve("aoi.geojson"), geoJson(diamond));
    assertExact(midLatitude, diamond,
        "ST_Within(geometry, atl03_polygon('" + geojson + "'))", Map.of("geometry", "true"), 500);
    assertExact(midLatitude, diamond,
        "ST_Intersects(ST_Point(lon_ph, lat_ph), atl03_polygon('" + geojson + "'))", Map.of(), 500);
  }

  /** A geometry column's bounds go on its own scan's lon/lat only: never on a same-named column of a join's other side. */
  @Test
  void theGeometryColumnsEnvelopeIsNeverPutOnAnotherInputsColumns() throws Exception {
    Geometry diamond = diamondOverTheMiddle(midLatitude, 0.45, 0.55);
    Dataset<Row> geometries = spark.read().format("atl03").option("geometry", "true").load(midLatitude.toString())
        .select("beam", "photon_index", "geometry");
    Dataset<Row> coordinates = spark.read().format("atl03").load(midLatitude.toString())
        .select("beam", "photon_index", "lon_ph", "lat_ph");
    Dataset<Row> joined = geometries.join(coordinates, scala.collection.JavaConverters.asScalaBuffer(
        List.of("beam", "photon_index")).toSeq()).where("ST_Within(geometry, ST_GeomFromWKT('" + diamond.toText() + "'))");
    // the filter goes below the join to the geometry's side, where its scan's lon/lat get the envelope; the
    // other side's lon_ph/lat_ph stay unfiltered
    List<String> bounded = new java.util.ArrayList<>();
    joined.queryExecution().optimizedPlan().foreach(node -> {
      if (node instanceof org.apache.spark.sql.catalyst.plans.logical.Filter f
          && f.condition().sql().contains("(lon_ph >= " + diamond.getEnvelopeInternal().getMinX())) {
        bounded.add(f.child().output().mkString(","));
      }
      return scala.runtime.BoxedUnit.UNIT;
    });
    assertThat(bounded).hasSize(1).allMatch(output -> output.contains("geometry"));
    assertThat(joined.queryExecution().optimizedPlan().toString()).contains("ST_Within");
  }

  @Test
  void aPolygonOnTheRealNasaSubset() throws Exception {
    Path granule = fixture("atl03/ATL03_gt1l.h5");
    Geometry diamond = diamondOverTheMiddle(granule, 0.25, 0.75);
    assertExact(granule, diamond,
        "ST_Contains(ST_GeomFromWKT('" + diamond.toText() + "'), ST_Point(lon_ph, lat_ph))", Map.of(), 100);
  }

  @Test
  void theSqlJobRunsAPolygonQueryOnATable() throws Exception {
    Geometry diamond = diamondOverTheMiddle(midLatitude, 0.60, 0.62);
    Path wkt = Files.writeString(tmp.resolve("aoi.wkt"), diamond.toText());
    Path out = tmp.resolve("sql-out");
    int exit = Atl03.run("sql", "--table", "photons=" + midLatitude, "--out", out.toString(),
        "SELECT beam, photon_index, atl03_time(delta_time) AS t FROM photons "
            + "WHERE ST_Contains(atl03_polygon('" + wkt + "'), ST_Point(lon_ph, lat_ph))");
    assertThat(exit).isZero();
    Set<String> written = keys(base.read().parquet(out.toString()).collectAsList());
    assertThat(written).isEqualTo(bruteForce(midLatitude, diamond)).hasSizeGreaterThan(50);
  }

  @Test
  void aBadPolygonFileIsNamedByTheScanJob() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.geojson"), "{\"type\": \"LineString\", \"coordinates\": [[0, 0], "
        + "[1, 1]]}");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Atl03.run("scan", "--polygon", bad.toString(), midLatitude.toString());
    } finally {
      System.setErr(original);
    }
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad + ": GeoJSON LineString, expected Polygon");
  }

  /**
   * Runs the polygon query and the query of its envelope's bbox: same-or-fewer chunks and bytes, the bbox pushed,
   * and the rows exactly the photons inside by JTS on a full read (at least {@code minInside} of them).
   */
  private Map<String, Long> assertExact(Path granule, Geometry polygon, String where, Map<String, String> options,
      int minInside) {
    Envelope env = polygon.getEnvelopeInternal();
    Dataset<Row> inside = spark.read().format("atl03").options(options).load(granule.toString()).where(where)
        .select("beam", "photon_index");
    Set<String> got = keys(inside.collectAsList());
    Set<String> expected = bruteForce(granule, polygon);
    assertThat(expected.size()).isGreaterThanOrEqualTo(minInside);
    assertThat(got).isEqualTo(expected);

    String pushed = Atl03ScanMetrics.scan(inside).scan().description();
    assertThat(pushed).contains("GreaterThanOrEqual(lon_ph," + env.getMinX() + ")",
        "LessThanOrEqual(lon_ph," + env.getMaxX() + ")", "GreaterThanOrEqual(lat_ph," + env.getMinY() + ")",
        "LessThanOrEqual(lat_ph," + env.getMaxY() + ")");

    Dataset<Row> box = spark.read().format("atl03").options(options).load(granule.toString())
        .where(String.format(Locale.ROOT, "lon_ph BETWEEN %s AND %s AND lat_ph BETWEEN %s AND %s",
            env.getMinX(), env.getMaxX(), env.getMinY(), env.getMaxY()))
        .select("beam", "photon_index");
    Set<String> inBox = keys(box.collectAsList());
    assertThat(inBox).containsAll(expected);
    assertThat(inBox.size()).as("the polygon is a strict subset of its envelope").isGreaterThan(expected.size());

    Map<String, Long> polygonMetrics = Atl03ScanMetrics.of(inside);
    Map<String, Long> boxMetrics = Atl03ScanMetrics.of(box);
    assertThat(polygonMetrics.get("chunksDecoded")).as("chunks: polygon %s, bbox %s", polygonMetrics, boxMetrics)
        .isPositive().isLessThanOrEqualTo(boxMetrics.get("chunksDecoded"));
    assertThat(polygonMetrics.get("bytesRead")).isLessThanOrEqualTo(boxMetrics.get("bytesRead"));
    return polygonMetrics;
  }

  private Map<String, Long> metrics(Dataset<Row> query) {
    query.collectAsList();
    return Atl03ScanMetrics.of(query);
  }

  /** The photons a full read has inside the polygon, by JTS (the predicate Sedona's ST_Contains evaluates). */
  private Set<String> bruteForce(Path granule, Geometry polygon) {
    return spark.read().format("atl03").load(granule.toString()).select("beam", "photon_index", "lon_ph", "lat_ph")
        .collectAsList().stream()
        .filter(r -> polygon.contains(JTS.createPoint(new Coordinate(r.getDouble(2), r.getDouble(3)))))
        .map(r -> r.getString(0) + ":" + r.getLong(1))
        .collect(Collectors.toSet());
  }

  private static Set<String> keys(List<Row> rows) {
    return rows.stream().map(r -> r.getString(0) + ":" + r.getLong(1)).collect(Collectors.toSet());
  }

  /**
   * A diamond spanning the latitudes between two quantiles of the granule's photons and the longitudes of the
   * photons there: it holds part of the photons of its envelope, and its envelope a small part of the granule.
   */
  private Geometry diamondOverTheMiddle(Path granule, double from, double to) throws Exception {
    List<Row> rows = spark.read().format("atl03").load(granule.toString()).select("lat_ph", "lon_ph")
        .collectAsList();
    double[] lats = rows.stream().mapToDouble(r -> r.getDouble(0)).sorted().toArray();
    double south = lats[(int) (from * (lats.length - 1))];
    double north = lats[(int) (to * (lats.length - 1))];
    double[] lons = rows.stream().filter(r -> r.getDouble(0) >= south && r.getDouble(0) <= north)
        .mapToDouble(r -> r.getDouble(1)).toArray();
    double west = Arrays.stream(lons).min().orElseThrow();
    double east = Arrays.stream(lons).max().orElseThrow();
    double lat = (south + north) / 2;
    double lon = (west + east) / 2;
    return new WKTReader(JTS).read(String.format(Locale.ROOT, "POLYGON ((%s %s, %s %s, %s %s, %s %s, %s %s))",
        west, lat, lon, south, east, lat, lon, north, west, lat));
  }

  private static String geoJson(Geometry polygon) {
    String ring = Arrays.stream(polygon.getCoordinates())
        .map(c -> "[" + c.x + ", " + c.y + "]").collect(Collectors.joining(", "));
    return "{\"type\": \"Feature\", \"properties\": {\"name\": \"aoi\"}, \"geometry\": {\"type\": \"Polygon\", "
        + "\"coordinates\": [[" + ring + "]]}}";
  }

  private static Path fixture(String relative) {
    String root = System.getProperty("atl03.fixtures", "../shared/fixtures");
    Path path = Path.of(root).resolve(relative).normalize();
    assumeTrue(Files.isRegularFile(path), "real-data fixture absent, test skipped: " + path);
    return path;
  }
}
