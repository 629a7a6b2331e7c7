package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.spark.SparkTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real NASA subset (polar track at 87.3° N, chunks stored out of index order, no orbit_info): the source's
 * rows against the values the HDF5 C library computed, whole and under box filters.
 */
class Atl03SourceOnNasaSubsetTest {

  private static SparkSession spark;
  private static Path granule;
  private static JsonNode expected;
  private static List<Row> all;

  @BeforeAll
  static void readAll() throws Exception {
    granule = Fixtures.shared("atl03/ATL03_gt1l.h5");
    expected = Fixtures.json(Fixtures.shared("atl03/ATL03_gt1l.expected.json"));
    spark = SparkTestSupport.localSpark();
    all = spark.read().format("atl03").load(granule.toString()).orderBy("photon_index").collectAsList();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void everyPhotonValueEqualsTheCLibrarys() {
    assertThat(all).hasSize(expected.get("photons_gt1l").asInt());
    assertThat(crc(all, "lat_ph")).isEqualTo(expectedCrc("heights/lat_ph"));
    assertThat(crc(all, "lon_ph")).isEqualTo(expectedCrc("heights/lon_ph"));
    assertThat(crc(all, "h_ph")).isEqualTo(expectedCrc("heights/h_ph"));
    assertThat(crc(all, "delta_time")).isEqualTo(expectedCrc("heights/delta_time"));
    assertThat(crc(all, "quality_ph")).isEqualTo(expectedCrc("heights/quality_ph"));
    assertThat(crc(all, "signal_conf_ph")).isEqualTo(expectedCrc("heights/signal_conf_ph"));
  }

  @Test
  void granuleBeamAndOrbitColumnsCopeWithTheMissingOrbitInfo() {
    Row first = all.get(0);
    assertThat(first.<String>getAs("granule")).isEqualTo("ATL03_gt1l.h5");
    assertThat(first.<String>getAs("beam")).isEqualTo("gt1l");
    assertThat(first.<String>getAs("beam_strength")).isEqualTo("weak");
    assertThat(first.isNullAt(first.fieldIndex("rgt"))).isTrue();
    assertThat(first.isNullAt(first.fieldIndex("cycle"))).isTrue();
    assertThat(all).extracting(r -> r.<Long>getAs("photon_index")).startsWith(0L, 1L, 2L).endsWith(2908L);
  }

  @Test
  void timeIsDeltaTimeFromTheAtlasEpochAndSegmentIdsFollowTheSegmentCounts() {
    for (Row row : List.of(all.get(0), all.get(1000), all.get(all.size() - 1))) {
      Timestamp time = row.getAs("time");
      assertThat(time.toInstant()).isEqualTo(AtlasSdpTime.toInstant(row.<Double>getAs("delta_time")));
    }
    // every segment's photons are consecutive and the segment ids never decrease
    List<Integer> ids = all.stream().map(r -> r.<Integer>getAs("segment_id")).toList();
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).isGreaterThanOrEqualTo(ids.get(i - 1));
    }
    assertThat(Set.copyOf(ids).size()).isLessThanOrEqualTo(expected.get("segments_gt1l").asInt());
  }

  @Test
  void aBoxOnThePolarTrackReturnsExactlyThePhotonsInsideIt() {
    // the subset is two stretches of track, at 95.07–95.17° E and at 178.99° E (across the pole from each other)
    double west = 95.10;
    double east = 95.13;
    Dataset<Row> query = spark.read().format("atl03").load(granule.toString())
        .where("lon_ph between 95.10 and 95.13 and lat_ph between 87.29 and 87.30");
    Set<Long> got = query.collectAsList().stream().map(r -> r.<Long>getAs("photon_index")).collect(Collectors.toSet());

    Set<Long> inside = all.stream()
        .filter(r -> between(r.getAs("lon_ph"), west, east) && between(r.getAs("lat_ph"), 87.29, 87.30))
        .map(r -> r.<Long>getAs("photon_index")).collect(Collectors.toSet());
    assertThat(inside).isNotEmpty().hasSizeLessThan(all.size());
    assertThat(got).isEqualTo(inside);
    Map<String, Long> metrics = SparkTestSupport.scanMetrics(query);
    assertThat(metrics.get("photonsReturned")).isLessThan(all.size()).isGreaterThanOrEqualTo(inside.size());
  }

  @Test
  void aBoxAcrossTheAntimeridianReturnsExactlyThePhotonsInsideIt() {
    Dataset<Row> query = spark.read().format("atl03").load(granule.toString())
        .where("(lon_ph >= 178.9 or lon_ph <= -179.5) and lat_ph > 80");
    Set<Long> got = query.collectAsList().stream().map(r -> r.<Long>getAs("photon_index")).collect(Collectors.toSet());
    Set<Long> inside = all.stream()
        .filter(r -> r.<Double>getAs("lon_ph") >= 178.9 || r.<Double>getAs("lon_ph") <= -179.5)
        .map(r -> r.<Long>getAs("photon_index")).collect(Collectors.toSet());
    assertThat(inside).isNotEmpty();
    assertThat(got).isEqualTo(inside);
  }

  @Test
  void planningPrunesTheBeamToTheSegmentsNearTheBoxWithoutRunningAQuery() {
    Filter[] box = {new GreaterThanOrEqual("lon_ph", 95.14), new LessThanOrEqual("lon_ph", 95.15)};
    long inside = all.stream().filter(r -> between(r.getAs("lon_ph"), 95.14, 95.15)).count();
    assertThat(inside).isPositive();

    // the default 200 m margin is 0.04° of longitude at 87.3° N; a 30 m margin keeps fewer segments
    Atl03InputPartition wide = planOne(Map.of("path", granule.toString()), box);
    Atl03InputPartition narrow = planOne(Map.of("path", granule.toString(), "pruneMarginMeters", "30"), box);

    assertThat(wide.window()).isEqualTo(new PhotonRange(0, 2909)); // one 10,000-photon chunk holds the subset
    assertThat(wide.photons()).isLessThan(2909);
    assertThat(narrow.photons()).isLessThan(wide.photons()).isGreaterThanOrEqualTo(inside);
    for (Row r : all) {
      if (between(r.getAs("lon_ph"), 95.14, 95.15)) {
        long index = r.getAs("photon_index");
        assertThat(narrow.ranges()).anyMatch(range -> index >= range.start() && index < range.end());
      }
    }
  }

  private static Atl03InputPartition planOne(Map<String, String> options, Filter[] filters) {
    Atl03Table table = (Atl03Table) new Atl03DataSource().getTable(null, null, options);
    Atl03ScanBuilder builder = (Atl03ScanBuilder) table.newScanBuilder(CaseInsensitiveStringMap.empty());
    builder.pushFilters(filters);
    InputPartition[] partitions = builder.build().toBatch().planInputPartitions();
    assertThat(partitions).hasSize(1);
    return (Atl03InputPartition) partitions[0];
  }

  @Test
  void columnPruningReadsOnlyTheDatasetsAsked() {
    Dataset<Row> hOnly = spark.read().format("atl03").load(granule.toString()).select("h_ph");
    double sum = hOnly.collectAsList().stream().mapToDouble(r -> r.getFloat(0)).sum();
    assertThat(sum).isEqualTo(expected.get("datasets").get("/gt1l/heights/h_ph").get("sum_float64").asDouble());
    Map<String, Long> hMetrics = SparkTestSupport.scanMetrics(hOnly);
    assertThat(hMetrics.get("chunksDecoded")).isEqualTo(1);

    Dataset<Row> count = spark.read().format("atl03").load(granule.toString()).selectExpr("count(*)");
    assertThat(count.collectAsList().get(0).getLong(0)).isEqualTo(2909);
    assertThat(SparkTestSupport.scanMetrics(count).get("bytesRead")).isZero();
  }

  @Test
  void extraDatasetsAddHeightsAndBroadcastSegmentRateColumns() {
    List<Row> rows = spark.read().format("atl03").option("datasets", "weight_ph,segment_dist_x,geolocation/delta_time")
        .load(granule.toString()).orderBy("photon_index").collectAsList();
    assertThat(rows).hasSize(2909);
    assertThat(rows.get(0).schema().fieldNames()).contains("weight_ph", "segment_dist_x", "geolocation_delta_time");
    assertThat(rows.stream().mapToDouble(r -> r.<Short>getAs("weight_ph")).sum())
        .isEqualTo(expected.get("datasets").get("/gt1l/heights/weight_ph").get("sum_float64").asDouble());
    // a segment's delta_time is within its ~20 m (3 ms) of its photons'
    for (Row r : rows) {
      assertThat(Math.abs(r.<Double>getAs("geolocation_delta_time") - r.<Double>getAs("delta_time"))).isLessThan(0.01);
    }
  }

  @Test
  void sqlViewsUseTheSourceByName() {
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW nasa_subset USING atl03 OPTIONS (path '" + granule + "')");
    Row row = spark.sql("SELECT count(*), max(lat_ph) FROM nasa_subset WHERE beam = 'gt1l'").first();
    assertThat(row.getLong(0)).isEqualTo(2909);
    assertThat(row.getDouble(1))
        .isEqualTo(expected.get("datasets").get("/gt1l/heights/lat_ph").get("max").asDouble());
  }

  @Test
  void aFileThatIsNotAtl03IsNamedInTheError() {
    Path notAtl03 = Fixtures.shared("atl03/ATL03_indexbegin_start_end_FVs.h5");
    assertThatThrownBy(() -> spark.read().format("atl03").load(notAtl03.toString()).count())
        .hasStackTraceContaining("ATL03_indexbegin_start_end_FVs.h5")
        .hasStackTraceContaining("not an ATL03 granule");
  }

  private static boolean between(Object value, double low, double high) {
    double v = ((Number) value).doubleValue();
    return v >= low && v <= high;
  }

  private long expectedCrc(String dataset) {
    return expected.get("datasets").get("/gt1l/" + dataset).get("crc32_le_bytes").asLong();
  }

  /** crc32 of a column's values as little-endian bytes in photon order, as numpy's tobytes() gives them. */
  private static long crc(List<Row> rows, String column) {
    ByteBuffer bb = ByteBuffer.allocate(rows.size() * 8 * 5).order(ByteOrder.LITTLE_ENDIAN);
    for (Row r : rows) {
      Object v = r.getAs(column);
      if (v instanceof Double d) bb.putDouble(d);
      else if (v instanceof Float f) bb.putFloat(f);
      else if (v instanceof Byte b) bb.put(b);
      else if (v instanceof scala.collection.Seq<?> seq) {
        for (int i = 0; i < seq.size(); i++) bb.put((Byte) seq.apply(i));
      } else throw new IllegalArgumentException(column + ": " + v.getClass());
    }
    CRC32 crc = new CRC32();
    crc.update(bb.array(), 0, bb.position());
    return crc.getValue();
  }
}
