package org.atl03.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.Fixtures;
import org.atl03.jobs.SparkOptions;
import org.atl03.udfs.Atl03Sql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./atl03 index} on NASA's real files: a junk granule makes it exit non-zero (recorded as skipped) unless
 * skipping is asked for; SQL reads the photons through the catalog as the HDF5 C library counts them, and finds the
 * granules by place and time in the catalog's table.
 */
class IndexCommandTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = new SparkOptions().session("atl03 index test");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void indexesNasasFilesAndSqlReadsThemThroughTheCatalog(@TempDir Path tmp) throws Exception {
    Path nasa = Fixtures.require("atl03/ATL03_gt1l.h5");
    Path pair = Fixtures.require("atl08/ATL03_clip_gt1r.h5");
    Path junk = Files.writeString(tmp.resolve("ATL03_20200101000000_00010101_006_01.h5"), "no HDF5 here");
    Path catalog = tmp.resolve("catalog");
    String[] args = {"index", "--in", nasa.toString(), pair.toString(), junk.toString(), "--catalog",
        catalog.toString(), "--window-photons", "1000"};

    String[] out = new String[1];
    int failed = capture(out, () -> Atl03.run(args));
    assertThat(failed).isEqualTo(1);
    assertThat(out[0]).contains("3 granules listed").contains("3 added")
        .contains("skipped file:" + junk.toAbsolutePath()).contains("not a readable HDF5 file");
    int skipping = capture(out, () -> Atl03.run(append(args, "--on-corrupt-granule", "skip")));
    assertThat(skipping).isZero();
    assertThat(out[0]).contains("3 unchanged").contains("nothing to commit");

    String allowed = nasa.getParent().toAbsolutePath().toUri() + "," + pair.getParent().toAbsolutePath().toUri();
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW photons USING atl03 OPTIONS (catalog '" + catalog
        + "', allowedPrefixes '" + allowed + "')");
    JsonNode expected = new ObjectMapper().readTree(Fixtures.require("atl03/ATL03_gt1l.expected.json").toFile());
    Row gt1l = spark.sql("SELECT count(*), sum(h_ph) FROM photons WHERE granule = '" + nasa.getFileName() + "'")
        .first();
    assertThat(gt1l.getLong(0)).isEqualTo(expected.path("photons_gt1l").asLong());
    assertThat(spark.read().format("atl03").load(pair.toString()).count())
        .isEqualTo(spark.sql("SELECT count(*) FROM photons WHERE beam = 'gt1r'").first().getLong(0));

    // granule discovery: which granules cover this place, straight from the catalog's table
    Row box = spark.read().format("atl03").load(nasa.toString())
        .selectExpr("min(lat_ph)", "max(lat_ph)", "min(lon_ph)", "max(lon_ph)").first();
    List<Row> found = spark.sql("SELECT granule, rgt, cycle FROM delta.`" + catalog + "` WHERE kind = 'granule' "
        + "AND lat_max >= " + box.getDouble(0) + " AND lat_min <= " + box.getDouble(1) + " AND lon_max >= "
        + box.getDouble(2) + " AND lon_min <= " + box.getDouble(3)).collectAsList();
    assertThat(found).extracting(r -> r.getString(0)).contains(nasa.getFileName().toString());

    // and by a polygon, with Sedona: its envelope becomes bounds that skip the catalog's files
    SparkSession sedona = Atl03Sql.register(spark);
    String polygon = String.format(java.util.Locale.ROOT, "POLYGON((%f %f, %f %f, %f %f, %f %f))", box.getDouble(2),
        box.getDouble(0), box.getDouble(3), box.getDouble(0), box.getDouble(3), box.getDouble(1), box.getDouble(2),
        box.getDouble(0));
    org.apache.spark.sql.Dataset<Row> byPolygon = sedona.sql("SELECT granule FROM delta.`" + catalog + "` WHERE "
        + "kind = 'granule' AND ST_Intersects(ST_GeomFromWKT('" + polygon + "'), ST_PolygonFromEnvelope(lon_min, "
        + "lat_min, lon_max, lat_max))");
    assertThat(byPolygon.collectAsList()).extracting(r -> r.getString(0)).contains(nasa.getFileName().toString())
        .doesNotContain(pair.getFileName().toString());
    assertThat(byPolygon.queryExecution().executedPlan().toString()).contains("lon_max#").contains("lat_min#")
        .containsPattern("DataFilters: \\[[^\\]]*lon_max");
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  private static int capture(String[] out, java.util.function.IntSupplier action) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      return action.getAsInt();
    } finally {
      System.setOut(original);
      out[0] = buffer.toString(StandardCharsets.UTF_8);
      System.out.print(out[0]);
    }
  }
}
