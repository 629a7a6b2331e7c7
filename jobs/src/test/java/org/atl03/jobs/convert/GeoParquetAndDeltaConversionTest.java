package org.atl03.jobs.convert;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.sedona.spark.SedonaContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.StructField;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * geoparquet and delta targets on two synthetic granules (one crossing 88° N and the antimeridian, one at
 * mid-latitudes): every photon round-trips, the geo metadata follows GeoParquet 1.1, and bbox queries return the
 * source's photons while reading only some row groups / files.
 */
class GeoParquetAndDeltaConversionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Small row groups and files, so that 225,000 photons make enough of them to show pruning. */
  private static final GeoParquetConversion GEOPARQUET = new GeoParquetConversion(256 << 10, 120_000);
  private static final DeltaConversion DELTA = new DeltaConversion(25_000);

  @TempDir static Path tmp;
  static SparkSession spark;
  static List<String> granules;
  static String out;
  static Dataset<Row> source;
  static double[] box; // west, south, east, north on the mid-latitude granule

  @BeforeAll
  static void convert() throws Exception {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("atl03 geoparquet/delta tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    SedonaContext.create(spark);
    Path dir = tmp.resolve("granules");
    Generator.generate(new GeneratorOptions(dir, 2, 30_000, 5, Layout.V006));
    try (Stream<Path> files = Files.list(dir)) {
      granules = files.map(Path::toString).filter(f -> f.endsWith(".h5")).sorted().toList();
    }
    out = tmp.resolve("out").toString();
    ConvertSettings settings = new ConvertSettings(new Configuration(), 0, false);
    System.out.println(GEOPARQUET.convert(granules, out, settings, spark));
    System.out.println(DELTA.convert(granules, out, settings, spark));
    source = spark.read().format("atl03").load(granules.toArray(String[]::new));
    // ~10 % of the mid-latitude granule's along-track extent, all its beams
    Dataset<Row> mid = source.where(col("granule").equalTo(Path.of(granules.get(1)).getFileName().toString()));
    double[] q = mid.stat().approxQuantile("lat_ph", new double[] {0.45, 0.55}, 0.001);
    Row lon = mid.where(col("lat_ph").between(q[0], q[1])).agg(org.apache.spark.sql.functions.min("lon_ph"),
        org.apache.spark.sql.functions.max("lon_ph")).first();
    box = new double[] {lon.getDouble(0), q[0], lon.getDouble(1), q[1]};
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Order-independent checksums: count, per column the sum of xxhash64 values, and the same over whole rows. */
  static List<Object> checksums(Dataset<Row> photons, String[] columns) {
    List<Column> aggs = new ArrayList<>();
    for (String c : columns) {
      aggs.add(sum(xxhash64(col(c)).cast("decimal(38,0)")).as("h_" + c));
    }
    aggs.add(sum(xxhash64(Arrays.stream(columns).map(c -> col(c)).toArray(Column[]::new)).cast("decimal(38,0)")));
    Row r = photons.agg(count(lit(1)), aggs.toArray(Column[]::new)).first();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      values.add(r.get(i));
    }
    return values;
  }

  private static void assertSamePhotons(Dataset<Row> actual, Dataset<Row> expected) {
    assertThat(actual.columns()).containsExactly(expected.columns());
    for (StructField f : expected.schema().fields()) {
      // Parquet keeps no "array elements not null", so the types are compared without nullability
      assertThat(actual.schema().apply(f.name()).dataType().catalogString()).as(f.name())
          .isEqualTo(f.dataType().catalogString());
    }
    List<Object> want = checksums(expected, expected.columns());
    assertThat((Long) want.get(0)).isPositive();
    assertThat(checksums(actual, expected.columns())).isEqualTo(want);
  }

  @Test
  void geoparquetRoundTripsEveryPhoton() {
    assertThat(source.columns()).contains("granule", "beam", "signal_conf_ph", "time", "quality_ph");
    assertSamePhotons(GEOPARQUET.read(spark, out), source);
  }

  @Test
  void deltaRoundTripsEveryPhoton() {
    assertSamePhotons(DELTA.read(spark, out), source);
  }

  @Test
  void geoMetadataFollowsGeoParquet11() throws Exception {
    Configuration conf = new Configuration();
    ConvertedFiles files = ConvertedFiles.of(conf, out + "/geoparquet");
    assertThat(files.parquetFiles()).hasSizeGreaterThan(1);
    assertThat(files.rowGroups()).isGreaterThan(2 * files.parquetFiles().size());
    Set<String> reference = referenceKeys();
    for (org.apache.hadoop.fs.Path file : files.parquetFiles()) {
      ParquetMetadata footer = footer(conf, file);
      String geoJson = footer.getFileMetaData().getKeyValueMetaData().get("geo");
      assertThat(GeoParquetSchema.violations(geoJson)).as("GeoParquet 1.1.0 violations of %s", file).isEmpty();
      JsonNode geo = JSON.readTree(geoJson);
      assertThat(geo.path("version").asText()).isEqualTo("1.1.0");
      String primary = geo.path("primary_column").asText();
      assertThat(primary).isEqualTo("geometry");
      assertThat(geo.path("columns").has(primary)).isTrue();
      JsonNode column = geo.path("columns").path(primary);
      Set<String> keys = new HashSet<>();
      column.fieldNames().forEachRemaining(keys::add);
      if (reference != null) {
        assertThat(reference).containsAll(keys); // nothing the spec's own 1.1.0 example does not know
      }
      assertThat(column.path("encoding").asText()).isIn("WKB", "point");
      assertThat(column.path("geometry_types").isArray()).isTrue();
      assertThat(column.path("geometry_types")).extracting(JsonNode::asText).containsExactly("Point");
      JsonNode crs = column.path("crs");
      assertThat(crs.isObject()).as("crs: PROJJSON object").isTrue();
      assertThat(crs.path("id").path("authority").asText()).isEqualTo("OGC");
      assertThat(crs.path("id").path("code").asText()).isEqualTo("CRS84");
      if (column.has("edges")) {
        assertThat(column.path("edges").asText()).isIn("planar", "spherical");
      }
      JsonNode bbox = column.path("bbox");
      assertThat(bbox.isArray() && bbox.size() == 4).as("bbox: 4 numbers").isTrue();
      for (JsonNode v : bbox) {
        assertThat(v.isNumber()).isTrue();
      }
      assertThat(bbox.get(1).asDouble()).isLessThanOrEqualTo(bbox.get(3).asDouble());
      JsonNode covering = column.path("covering").path("bbox");
      for (String field : List.of("xmin", "ymin", "xmax", "ymax")) {
        assertThat(covering.path(field)).extracting(JsonNode::asText).containsExactly("bbox", field);
      }
      // the covering column exists, is a struct of FLOAT/DOUBLE, and its statistics lie within the file bbox
      GroupType struct = footer.getFileMetaData().getSchema().getType("bbox").asGroupType();
      double[] seen = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
      for (String field : List.of("xmin", "ymin", "xmax", "ymax")) {
        assertThat(struct.getType(field).asPrimitiveType().getPrimitiveTypeName())
            .isIn(PrimitiveTypeName.DOUBLE, PrimitiveTypeName.FLOAT);
      }
      for (BlockMetaData block : footer.getBlocks()) {
        double[] b = blockBox(block);
        seen[0] = Math.min(seen[0], b[0]);
        seen[1] = Math.min(seen[1], b[1]);
        seen[2] = Math.max(seen[2], b[2]);
        seen[3] = Math.max(seen[3], b[3]);
      }
      for (int i = 0; i < 4; i++) {
        assertThat(bbox.get(i).asDouble()).as("bbox[%d] of %s", i, file).isEqualTo(seen[i]);
      }
    }
  }

  /** The keys of the spec's own v1.1.0 example's geometry column (null when the fixture is absent). */
  private static Set<String> referenceKeys() throws Exception {
    Path example = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"))
        .resolve("geoparquet/geoparquet-spec-example-v1.1.0.parquet");
    if (!Files.isRegularFile(example)) {
      System.out.println("spec example absent, key comparison skipped: " + example);
      return null;
    }
    JsonNode geo = JSON.readTree(footer(new Configuration(), new org.apache.hadoop.fs.Path(example.toString()))
        .getFileMetaData().getKeyValueMetaData().get("geo"));
    assertThat(geo.path("version").asText()).isEqualTo("1.1.0");
    Set<String> keys = new HashSet<>(List.of("edges", "orientation", "epoch")); // optional in the schema
    geo.path("columns").path(geo.path("primary_column").asText()).fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void sedonaReadsSlideRulesGeoParquet() throws Exception {
    Path file = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"))
        .resolve("geoparquet/atl03x-surface_TEST_small_GEO.parquet");
    assumeTrue(Files.isRegularFile(file), "real-data fixture absent, test skipped: " + file);
    ParquetMetadata footer = footer(new Configuration(), new org.apache.hadoop.fs.Path(file.toString()));
    long rows = footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
    JsonNode geo = JSON.readTree(footer.getFileMetaData().getKeyValueMetaData().get("geo"));
    JsonNode bbox = geo.path("columns").path("geometry").path("bbox");

    // Sedona 1.8 cannot infer this file's schema (its uint16 columns: "Parquet type not supported: INT32
    // (UINT_16)"), so the reader is given the column it needs
    Dataset<Row> df = spark.read().format("geoparquet")
        .schema(new org.apache.spark.sql.types.StructType().add("geometry",
            new org.apache.spark.sql.sedona_sql.UDT.GeometryUDT()))
        .load(file.toString());
    df.createOrReplaceTempView("sliderule");
    Row r = spark.sql("SELECT count(*), min(ST_GeometryType(geometry)), max(ST_GeometryType(geometry)), "
        + "min(ST_X(geometry)), min(ST_Y(geometry)), max(ST_X(geometry)), max(ST_Y(geometry)) FROM sliderule")
        .first();
    assertThat(rows).isPositive();
    assertThat(r.getLong(0)).isEqualTo(rows);
    assertThat(r.getString(1)).isEqualTo("ST_Point");
    assertThat(r.getString(2)).isEqualTo("ST_Point");
    // the extent Sedona decodes equals the one from the raw WKB (plain Parquet binary, given as schema: Spark cannot infer the
    // file's TIMESTAMP(NANOS) column; point x/y at bytes 5/13)
    double[] raw = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (Row w : spark.read().schema("geometry binary").parquet(file.toString()).collectAsList()) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap((byte[]) w.get(0));
      b.order(b.get(0) == 1 ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
      assertThat(b.getInt(1)).as("WKB type Point").isEqualTo(1);
      raw[0] = Math.min(raw[0], b.getDouble(5));
      raw[1] = Math.min(raw[1], b.getDouble(13));
      raw[2] = Math.max(raw[2], b.getDouble(5));
      raw[3] = Math.max(raw[3], b.getDouble(13));
    }
    for (int i = 0; i < 4; i++) {
      assertThat(r.getDouble(3 + i)).as("extent[%d]", i).isEqualTo(raw[i]);
      if (bbox.size() == 4) { // optional in GeoParquet 1.0
        assertThat(r.getDouble(3 + i)).as("geo bbox[%d]", i).isEqualTo(bbox.get(i).asDouble());
      }
    }
    assertThat(raw[1]).isBetween(-90.0, 90.0);
  }

  @Test
  void geoparquetBboxQueryReturnsTheSourcePhotonsAndSkipsRowGroups() throws Exception {
    String where = String.format("lon_ph BETWEEN %s AND %s AND lat_ph BETWEEN %s AND %s", box[0], box[2], box[1],
        box[3]);
    String covering = String.format("bbox.xmin <= %s AND bbox.xmax >= %s AND bbox.ymin <= %s AND bbox.ymax >= %s",
        box[2], box[0], box[3], box[1]);
    Dataset<Row> expected = source.where(where);
    Dataset<Row> table = spark.read().format("geoparquet").load(out + "/geoparquet");
    String[] columns = source.columns();

    long[] full = bytesRead(() -> checksums(table, columns));
    long before = localBytesRead();
    List<Object> got = checksums(table.where(covering).where(where), columns);
    long bboxBytes = localBytesRead() - before;
    assertThat(got).isEqualTo(checksums(expected, columns));
    assertThat((Long) got.get(0)).isPositive();

    // row groups whose bbox statistics overlap the query: all a statistics-pruning reader must read
    int total = 0;
    int overlapping = 0;
    long photonsInOverlapping = 0;
    for (org.apache.hadoop.fs.Path file : ConvertedFiles.of(new Configuration(), out + "/geoparquet").parquetFiles()) {
      for (BlockMetaData block : footer(new Configuration(), file).getBlocks()) {
        total++;
        double[] b = blockBox(block);
        if (b[0] <= box[2] && b[2] >= box[0] && b[1] <= box[3] && b[3] >= box[1]) {
          overlapping++;
          photonsInOverlapping += block.getRowCount();
        }
      }
    }
    System.out.printf("geoparquet bbox: %d photons; row groups %d of %d overlap (%d photons); bytes read %d vs "
        + "full scan %d%n", got.get(0), overlapping, total, photonsInOverlapping, bboxBytes, full[0]);
    assertThat(overlapping).isPositive().isLessThan(total / 4);
    assertThat(bboxBytes).isLessThan(full[0] / 3);
  }

  @Test
  void deltaBboxQueryReturnsTheSourcePhotonsAndSkipsFiles() {
    String where = String.format("lon_ph BETWEEN %s AND %s AND lat_ph BETWEEN %s AND %s", box[0], box[2], box[1],
        box[3]);
    String[] columns = source.columns();
    Dataset<Row> query = DELTA.read(spark, out).where(where);
    List<Object> got = checksums(query, columns);
    assertThat(got).isEqualTo(checksums(source.where(where), columns));
    assertThat((Long) got.get(0)).isPositive();
    long total = DeltaTable.forPath(spark, out + "/delta").detail().first().getAs("numFiles");
    Dataset<Row> executed = query.select("photon_index");
    executed.collectAsList();
    long read = fileScanMetric(executed.queryExecution().executedPlan(), "numFiles");
    System.out.printf("delta bbox: %d photons; files read %d of %d%n", got.get(0), read, total);
    assertThat(total).isGreaterThan(4);
    assertThat(read).isPositive().isLessThan(total);
  }

  @Test
  void badInputFailsNamingTheFileAndLeavesNoOutput() throws Exception {
    Path bad = tmp.resolve("bad/ATL03_bad.h5");
    Files.createDirectories(bad.getParent());
    Files.writeString(bad, "not hdf5");
    String badOut = tmp.resolve("bad-out").toString();
    ConvertSettings settings = new ConvertSettings(new Configuration(), 0, false);
    for (Conversion c : List.<Conversion>of(GEOPARQUET, DELTA)) {
      assertThatThrownBy(() -> c.convert(List.of(bad.toString()), badOut, settings, spark))
          .hasStackTraceContaining("ATL03_bad.h5");
    }
    if (Files.exists(Path.of(badOut))) {
      try (Stream<Path> left = Files.list(Path.of(badOut))) {
        assertThat(left.map(p -> p.getFileName().toString()).toList()).isEmpty();
      }
    }
  }

  static ParquetMetadata footer(Configuration conf, org.apache.hadoop.fs.Path file) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      return r.getFooter();
    }
  }

  /** min bbox.xmin, min bbox.ymin, max bbox.xmax, max bbox.ymax of a row group, from its statistics. */
  static double[] blockBox(BlockMetaData block) {
    double[] b = new double[4];
    for (ColumnChunkMetaData c : block.getColumns()) {
      String path = c.getPath().toDotString();
      Statistics<?> s = c.getStatistics();
      switch (path) {
        case "bbox.xmin" -> b[0] = ((Number) s.genericGetMin()).doubleValue();
        case "bbox.ymin" -> b[1] = ((Number) s.genericGetMin()).doubleValue();
        case "bbox.xmax" -> b[2] = ((Number) s.genericGetMax()).doubleValue();
        case "bbox.ymax" -> b[3] = ((Number) s.genericGetMax()).doubleValue();
        default -> { }
      }
    }
    return b;
  }

  static long localBytesRead() {
    return FileSystem.getAllStatistics().stream().filter(s -> s.getScheme().equals("file"))
        .mapToLong(FileSystem.Statistics::getBytesRead).sum();
  }

  static long[] bytesRead(Runnable r) {
    long before = localBytesRead();
    r.run();
    return new long[] {localBytesRead() - before};
  }

  static long fileScanMetric(SparkPlan plan, String metric) {
    if (plan instanceof FileSourceScanExec scan) {
      return scan.metrics().apply(metric).value();
    }
    Iterator<SparkPlan> children = scala.collection.JavaConverters.seqAsJavaList(plan.children()).iterator();
    while (children.hasNext()) {
      long v = fileScanMetric(children.next(), metric);
      if (v >= 0) {
        return v;
      }
    }
    return -1;
  }
}
