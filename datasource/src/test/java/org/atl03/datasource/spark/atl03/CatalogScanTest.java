package org.atl03.datasource.spark.atl03;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.SparkTestSupport;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.atl03.catalog.CatalogFiles;
import org.atl03.datasource.atl03.catalog.CatalogFilter;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.spark.catalog.CatalogReader;
import org.atl03.datasource.spark.catalog.CatalogTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning from a catalog returns what planning from the granules returns, row for row and in the same order, on
 * seeded random boxes, times and beams, and opens no granule on the driver; the catalog refuses what it must.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogScanTest {

  private static final long SEED = 20261207;

  private SparkSession spark;
  private Path dir;
  private List<Path> granules;
  private String catalog;
  private double[] latRange;
  private double[] lonRange;
  private double[] timeRange;

  @BeforeAll
  void index(@TempDir Path tmp) throws Exception {
    Configurator.setLevel("io.jhdf", Level.WARN);
    dir = tmp;
    granules = new ArrayList<>(Generator.generate(
        new GeneratorOptions(tmp.resolve("granules"), 2, 40_000, 31, Layout.V006)));
    granules.addAll(Generator.generate(
        new GeneratorOptions(tmp.resolve("granules/v007"), 1, 150_000, 32, Layout.V007)));
    spark = SparkTestSupport.localSpark();
    catalog = tmp.resolve("catalog").toString();
    CatalogIndexer.Report report = CatalogIndexer.index(spark,
        List.of(tmp.resolve("granules").toString(), tmp.resolve("granules/v007").toString()),
        catalog, new CatalogIndexer.Options(List.of(), 20_000, false), spark.sessionState().newHadoopConf());
    assertThat(report.added()).isEqualTo(3);
    assertThat(report.skipped()).isEmpty();
    Row r = files().agg(org.apache.spark.sql.functions.min("lat_ph"), org.apache.spark.sql.functions.max("lat_ph"),
        org.apache.spark.sql.functions.min("lon_ph"), org.apache.spark.sql.functions.max("lon_ph"),
        org.apache.spark.sql.functions.min("delta_time"), org.apache.spark.sql.functions.max("delta_time")).first();
    latRange = new double[] {r.getDouble(0), r.getDouble(1)};
    lonRange = new double[] {r.getDouble(2), r.getDouble(3)};
    timeRange = new double[] {r.getDouble(4), r.getDouble(5)};
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private Dataset<Row> files() {
    return spark.read().format("atl03").option("geometry", "false")
        .load(granules.stream().map(Path::toString).sorted().toArray(String[]::new));
  }

  private Dataset<Row> fromCatalog() {
    return spark.read().format("atl03").option("catalog", catalog).load();
  }

  @Test
  void aFullScanFromTheCatalogIsTheScanFromTheFilesRowForRow() {
    List<Row> expected = files().collectAsList();
    Dataset<Row> query = fromCatalog();
    assertThat(query.collectAsList()).isEqualTo(expected);
    Map<String, Long> metrics = SparkTestSupport.scanMetrics(query);
    assertThat(metrics.get("planningReadRequests")).isZero();
  }

  @Test
  void seededRandomFiltersReturnTheSameRowsInTheSameOrder() {
    Random random = new Random(SEED);
    for (int i = 0; i < 18; i++) {
      Column filter = randomFilter(random);
      List<Row> expected = files().where(filter).collectAsList();
      // the catalog read on the driver; or through Spark in one query, or two: windows first, then the kept ones'
      // manifests
      Dataset<Row> query = spark.read().format("atl03").option("catalog", catalog)
          .option("catalogReader", i % 3 == 0 ? "driver" : "spark")
          .option("catalogOneQueryMaxBytes", i % 3 == 1 ? "67108864" : "0").load().where(filter);
      assertThat(query.collectAsList()).as("case %d: %s", i, filter).isEqualTo(expected);
      assertThat(SparkTestSupport.scanMetrics(query).get("planningReadRequests")).as("case %d", i).isZero();
    }
  }

  @Test
  void aSmallBoxScansFewerPhotonsThanTheWholeCatalog() {
    double lat = latRange[0] + (latRange[1] - latRange[0]) * 0.3;
    Dataset<Row> query = fromCatalog().where(col("lat_ph").between(lat, lat + (latRange[1] - latRange[0]) * 0.02));
    long rows = query.count();
    Map<String, Long> metrics = SparkTestSupport.scanMetrics(query);
    long all = files().count();
    assertThat(metrics.get("photonsScanned")).isLessThan(all / 10).isGreaterThanOrEqualTo(rows);
  }

  /**
   * A time filter of two stretches apart, planned in one-chunk partitions: a beam's kept windows lie apart, and a
   * partition of one does not reach the other. Planning once failed there (a null intersection).
   */
  @Test
  void windowsKeptApartInABeamArePlannedIntoTheirOwnPartitions() {
    double span = timeRange[1] - timeRange[0];
    Column ends = col("delta_time").lt(timeRange[0] + span * 0.1).or(col("delta_time").gt(timeRange[1] - span * 0.1));
    List<Row> expected = files().where(ends).collectAsList();
    for (String reader : List.of("driver", "spark")) {
      Dataset<Row> query = spark.read().format("atl03").option("catalog", catalog).option("chunksPerPartition", "1")
          .option("catalogReader", reader).option("catalogOneQueryMaxBytes", "0").load().where(ends);
      assertThat(query.collectAsList()).as(reader).isEqualTo(expected).isNotEmpty();
      assertThat(SparkTestSupport.scanMetrics(query).get("planningReadRequests")).isZero();
    }
  }

  /**
   * A band of longitudes (a box, not a half-plane, so the catalog predicate bounds lon_min and lon_max): the driver's
   * reader once dropped every window there, having read the rows without those columns.
   */
  @Test
  void aLongitudeBandIsTheBandFromTheFilesThroughBothReaders() {
    double span = lonRange[1] - lonRange[0];
    double lon = files().select("lon_ph").first().getDouble(0);
    Column band = col("lon_ph").between(lon - span * 0.02, lon + span * 0.02);
    List<Row> expected = files().where(band).collectAsList();
    for (String reader : List.of("driver", "spark")) {
      Dataset<Row> query = spark.read().format("atl03").option("catalog", catalog).option("catalogReader", reader)
          .load().where(band);
      assertThat(query.collectAsList()).as(reader).isEqualTo(expected).isNotEmpty();
    }
  }

  /** Every statistics column a predicate bounds is read and checked on the driver: its rows are Spark's. */
  @Test
  void theDriversReaderKeepsTheRowsSparkKeepsOnEveryBoundsColumn() throws Exception {
    List<Row> rows = CatalogReader.table(spark, catalog).filter("kind = 'window'").collectAsList();
    Random random = new Random(SEED);
    try (CatalogFiles files = CatalogFiles.open(new HadoopStorage(new Configuration()), catalog)) {
      for (String column : List.of("lat_min", "lat_max", "lon_min", "lon_max", "delta_time_min", "delta_time_max")) {
        Double v = rows.get(random.nextInt(rows.size())).getAs(column);
        CatalogFilter f = CatalogFilter.eq("kind", CatalogTable.WINDOW).and(CatalogFilter.le(column, v));
        long expected = CatalogReader.table(spark, catalog).filter(CatalogPredicate.column(f)).count();
        assertThat(expected).as(column).isPositive();
        assertThat(files.windows(f, false, null)).as(column).hasSize((int) expected);
      }
    }
  }

  private Column randomFilter(Random random) {
    List<Column> parts = new ArrayList<>();
    if (random.nextBoolean()) {
      double a = between(random, latRange);
      double b = between(random, latRange);
      parts.add(col("lat_ph").between(Math.min(a, b), Math.min(a, b) + Math.abs(a - b) * random.nextDouble() * 0.3));
    }
    if (random.nextInt(3) == 0) {
      double a = between(random, lonRange);
      double b = between(random, lonRange);
      parts.add(random.nextBoolean() ? col("lon_ph").between(Math.min(a, b), Math.max(a, b))
          : random.nextBoolean() ? col("lon_ph").gt(a) : col("lon_ph").lt(a));
    }
    if (random.nextInt(3) == 0) {
      double a = between(random, timeRange);
      parts.add(col("delta_time").between(a, a + (timeRange[1] - timeRange[0]) * 0.1));
    }
    if (random.nextInt(4) == 0) {
      parts.add(col("beam").isin("gt1l", "gt2r"));
    }
    if (random.nextInt(5) == 0) {
      parts.add(col("beam_strength").equalTo("weak").or(col("lat_ph").gt(between(random, latRange))));
    }
    Column c = org.apache.spark.sql.functions.lit(true);
    for (Column p : parts) {
      c = c.and(p);
    }
    return c;
  }

  private static double between(Random random, double[] range) {
    return range[0] + (range[1] - range[0]) * random.nextDouble();
  }

  @Test
  void columnsNeedingSegmentsComeFromTheTasksReadOfTheWindowsSegments() {
    Column box = col("lat_ph").between(latRange[0], latRange[0] + (latRange[1] - latRange[0]) * 0.2);
    List<Row> expected = files().where(box).select("granule", "beam", "photon_index", "segment_id").collectAsList();
    assertThat(fromCatalog().where(box).select("granule", "beam", "photon_index", "segment_id").collectAsList())
        .isEqualTo(expected);
  }

  @Test
  void extraDatasetsComeFromTheManifestsOrElseFromTheSurvivingWindowsGranules() throws Exception {
    String extra = "weight_ph,segment_dist_x";
    Column box = col("lat_ph").between(latRange[0], latRange[0] + (latRange[1] - latRange[0]) * 0.1);
    List<Row> expected = spark.read().format("atl03").option("datasets", extra)
        .load(granules.stream().map(Path::toString).sorted().toArray(String[]::new)).where(box).collectAsList();
    assertThat(expected).isNotEmpty();

    Dataset<Row> fallback = spark.read().format("atl03").option("catalog", catalog).option("datasets", extra).load()
        .where(box);
    assertThat(fallback.collectAsList()).isEqualTo(expected);
    assertThat(SparkTestSupport.scanMetrics(fallback).get("planningReadRequests")).isPositive();

    String withManifests = dir.resolve("catalog-extra").toString();
    CatalogIndexer.index(spark, List.of(dir.resolve("granules").toString(), dir.resolve("granules/v007").toString()),
        withManifests, new CatalogIndexer.Options(List.of("weight_ph", "geolocation/segment_dist_x"), 20_000, false),
        spark.sessionState().newHadoopConf());
    Dataset<Row> planned = spark.read().format("atl03").option("catalog", withManifests).option("datasets", extra)
        .load().where(box);
    assertThat(planned.collectAsList()).isEqualTo(expected);
    assertThat(SparkTestSupport.scanMetrics(planned).get("planningReadRequests")).isZero();
  }

  @Test
  void aChangedGranuleFailsTheQueryNamingItAndHowToRefresh() throws Exception {
    Path copyDir = Files.createDirectories(dir.resolve("stale"));
    Path copy = Files.copy(granules.get(0), copyDir.resolve(granules.get(0).getFileName()));
    String staleCatalog = dir.resolve("stale-catalog").toString();
    CatalogIndexer.index(spark, List.of(copyDir.toString()), staleCatalog, CatalogIndexer.Options.DEFAULT,
        spark.sessionState().newHadoopConf());
    Files.setLastModifiedTime(copy, FileTime.fromMillis(Files.getLastModifiedTime(copy).toMillis() + 60_000));
    assertThatThrownBy(() -> spark.read().format("atl03").option("catalog", staleCatalog).load().count())
        .hasStackTraceContaining(copy.getFileName().toString())
        .hasStackTraceContaining("./atl03 index");
  }

  @Test
  void aCatalogNamingGranulesOutsideTheAllowedPrefixesIsRefused() {
    Dataset<Row> query = spark.read().format("atl03").option("catalog", catalog)
        .option("allowedPrefixes", dir.resolve("elsewhere").toUri().toString()).load();
    assertThatThrownBy(query::count).hasStackTraceContaining("outside the allowed prefixes");
  }

  @Test
  void aPathBesideTheCatalogOptionIsRefused() {
    assertThatThrownBy(() -> spark.read().format("atl03").option("catalog", catalog)
        .load(granules.get(0).toString()).count()).hasStackTraceContaining("takes no path");
  }
}
