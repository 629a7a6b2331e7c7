package org.atl03.datasource.spark.atl03;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Or;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.spark.SparkTestSupport;
import org.atl03.datasource.spark.atl03.PlannedPartitions.Planned;
import org.atl03.datasource.spark.atl03.PlannedPartitions;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Box, time and beam filters on generated granules return exactly the photons a full read filtered in Java gives,
 * and read only (about) the chunks that hold them. Granule 0 of the generator is centred on the 88° N turning point
 * on the antimeridian; granule 1 is at mid-latitude.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushdownOnSyntheticGranulesTest {

  private static final long PHOTONS_PER_STRONG_BEAM = 60_000;
  private static final List<String> DEFAULT_HEIGHTS =
      List.of("delta_time", "lat_ph", "lon_ph", "h_ph", "signal_conf_ph", "quality_ph");

  private SparkSession spark;
  private Path polar;
  private Path midLatitude;
  private List<Row> polarRows;
  private List<Row> midRows;

  @BeforeAll
  void generate(@TempDir Path tmp) {
    Configurator.setLevel("io.jhdf", Level.WARN);
    List<Path> granules = Generator.generate(
        new GeneratorOptions(tmp.resolve("v006"), 2, PHOTONS_PER_STRONG_BEAM, 21, Layout.V006));
    polar = granules.get(0);
    midLatitude = granules.get(1);
    spark = SparkTestSupport.localSpark();
    polarRows = photons(polar).select("beam", "photon_index", "lat_ph", "lon_ph").collectAsList();
    midRows = photons(midLatitude).select("beam", "beam_strength", "photon_index", "lat_ph", "lon_ph", "delta_time",
        "time").collectAsList();
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void aOnePercentBoxAroundTheMiddleBeamPairReturnsExactlyThePhotonsInsideAndReadsLittleMoreThanTheirChunks()
      throws Exception {
    // a 2 % band of latitude, and in longitude the middle pair (gt2l, gt2r) only: the edges lie halfway to the
    // pairs on either side, 3.3 km away
    double[] band = latitudeBand(0.49, 0.51);
    Map<String, Double> pairLon = midRows.stream().filter(r -> between(r.getAs("lat_ph"), band[0], band[1]))
        .collect(Collectors.groupingBy(r -> r.<String>getAs("beam").substring(0, 3),
            Collectors.averagingDouble(r -> r.<Double>getAs("lon_ph"))));
    double[] pairs = pairLon.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    assertThat(pairs).hasSize(3);
    double[] box = {band[0], band[1], (pairs[0] + pairs[1]) / 2, (pairs[1] + pairs[2]) / 2};
    Map<String, Long> metrics = assertBoxIsExact(box, Map.of(), midRows.size() / 200, midRows.size() / 50, 1.5);
    assertThat(metrics.get("photonsScanned")).isLessThan(midRows.size() / 50L);
  }

  @Test
  void aBoxWhoseEdgeFallsBetweenTheBeamsOfAPairIsExactAndANarrowerMarginSkipsTheNeighbourBeam() throws Exception {
    // the beams of a pair are 90 m apart: within the default 200 m margin, the beam outside the box is read too
    double[] band = latitudeBand(0.49, 0.51);
    double[] lonsInBand = midRows.stream().filter(r -> between(r.getAs("lat_ph"), band[0], band[1]))
        .mapToDouble(r -> r.getAs("lon_ph")).sorted().toArray();
    double[] box = {band[0], band[1], quantile(lonsInBand, 0.3), quantile(lonsInBand, 0.7)};
    int low = midRows.size() / 200;
    int high = midRows.size() / 50;
    assertBoxIsExact(box, Map.of(), low, high, Double.POSITIVE_INFINITY); // reads ~1.6x: two beams' chunks for nothing
    Map<String, Long> narrow = assertBoxIsExact(box, Map.of("pruneMarginMeters", "50"), low, high, 1.5);
    assertThat(narrow.get("photonsScanned")).isLessThan(midRows.size() / 50L);
  }

  /** [south, north] holding the photons between two quantiles of latitude. */
  private double[] latitudeBand(double from, double to) {
    double[] lats = midRows.stream().mapToDouble(r -> r.getAs("lat_ph")).sorted().toArray();
    return new double[] {quantile(lats, from), quantile(lats, to)};
  }

  /**
   * The box query on the mid-latitude granule returns exactly the photons a full read filtered in Java gives
   * (between low and high of them), reading at most maxBytesRatio times the stored bytes of the chunks that hold
   * them.
   */
  private Map<String, Long> assertBoxIsExact(double[] box, Map<String, String> options, int low, int high,
      double maxBytesRatio)
      throws Exception {
    double south = box[0];
    double north = box[1];
    double west = box[2];
    double east = box[3];
    Set<String> expected = keys(midRows,
        r -> between(r.getAs("lat_ph"), south, north) && between(r.getAs("lon_ph"), west, east));
    assertThat(expected.size()).isBetween(low, high);

    Dataset<Row> query = spark.read().format("atl03").options(options).load(midLatitude.toString())
        .where(col("lat_ph").between(south, north).and(col("lon_ph").between(west, east)));
    List<Row> got = query.collectAsList();
    assertThat(keys(got, r -> true)).isEqualTo(expected);

    Map<String, Long> metrics = SparkTestSupport.scanMetrics(query);
    long chunkBytes = storedBytesOfChunksHolding(midLatitude, got, DEFAULT_HEIGHTS);
    assertThat(metrics.get("bytesRead")).as("bytes read, against %s stored in the chunks of the photons inside %s",
        chunkBytes, options).isPositive();
    if (maxBytesRatio < Double.POSITIVE_INFINITY) {
      assertThat(metrics.get("bytesRead")).isLessThanOrEqualTo((long) (maxBytesRatio * chunkBytes));
    }
    return metrics;
  }

  @Test
  void aTimeWindowOnDeltaTimeOrTimeReturnsExactlyThePhotonsInsideAndIsPruned() throws Exception {
    double[] times = midRows.stream().mapToDouble(r -> r.getAs("delta_time")).sorted().toArray();
    double from = quantile(times, 0.40);
    double to = quantile(times, 0.41);
    Set<String> expected = keys(midRows, r -> between(r.getAs("delta_time"), from, to));
    assertThat(expected).isNotEmpty();

    Dataset<Row> onDeltaTime = photons(midLatitude).where(col("delta_time").between(from, to));
    assertThat(keys(onDeltaTime.collectAsList(), r -> true)).isEqualTo(expected);
    assertPruned(onDeltaTime, midLatitude, expected.size());

    Timestamp start = Timestamp.from(AtlasSdpTime.toInstant(from));
    Timestamp end = Timestamp.from(AtlasSdpTime.toInstant(to));
    Set<String> expectedByTime = keys(midRows, r -> {
      Timestamp t = r.getAs("time");
      return !t.before(start) && !t.after(end);
    });
    assertThat(expectedByTime.size()).isCloseTo(expected.size(), org.assertj.core.api.Assertions.within(6));
    Dataset<Row> onTime = photons(midLatitude).where(col("time").between(lit(start), lit(end)));
    assertThat(keys(onTime.collectAsList(), r -> true)).isEqualTo(expectedByTime);
    assertPruned(onTime, midLatitude, expectedByTime.size());
  }

  @Test
  void beamFiltersScanOnlyTheSelectedBeams() {
    Map<String, Long> perBeam = midRows.stream().collect(Collectors.groupingBy(r -> r.getAs("beam"),
        Collectors.counting()));
    Map<String, String> strength = new HashMap<>();
    midRows.forEach(r -> strength.put(r.getAs("beam"), r.getAs("beam_strength")));

    Dataset<Row> gt2l = photons(midLatitude).where("beam = 'gt2l'");
    assertThat(gt2l.count()).isEqualTo(perBeam.get("gt2l"));
    Dataset<Row> gt2lRows = photons(midLatitude).where("beam = 'gt2l'").select("h_ph");
    gt2lRows.collectAsList();
    assertThat(SparkTestSupport.scanMetrics(gt2lRows).get("photonsScanned")).isEqualTo(perBeam.get("gt2l"));

    Dataset<Row> two = photons(midLatitude).where("beam in ('gt1l', 'gt3r')").select("beam", "h_ph");
    Map<String, Long> twoCounts = two.collectAsList().stream().collect(Collectors.groupingBy(r -> r.getString(0),
        Collectors.counting()));
    assertThat(twoCounts).isEqualTo(Map.of("gt1l", perBeam.get("gt1l"), "gt3r", perBeam.get("gt3r")));
    assertThat(SparkTestSupport.scanMetrics(two).get("photonsScanned"))
        .isEqualTo(perBeam.get("gt1l") + perBeam.get("gt3r"));

    Dataset<Row> strong = photons(midLatitude).where("beam_strength = 'strong'").select("beam", "h_ph");
    Set<String> strongBeams = strong.collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    assertThat(strongBeams).hasSize(3).allMatch(b -> strength.get(b).equals("strong"));
    assertThat(SparkTestSupport.scanMetrics(strong).get("photonsScanned")).isEqualTo(3 * PHOTONS_PER_STRONG_BEAM);
  }

  @Test
  void beamFiltersPlanOnlyTheSelectedBeams() {
    Map<String, String> options = Map.of("path", midLatitude.toString());
    assertThat(PlannedPartitions.plan(options, new EqualTo("beam", "gt2l")))
        .isNotEmpty().extracting(Planned::beam).containsOnly("gt2l");
    assertThat(PlannedPartitions.plan(options, new In("beam", new Object[] {"gt1l", "gt3r"})))
        .extracting(Planned::beam).containsOnly("gt1l", "gt3r").contains("gt1l", "gt3r");
    List<Planned> strong = PlannedPartitions.plan(options, new EqualTo("beam_strength", "strong"));
    assertThat(strong).extracting(Planned::beamStrength).containsOnly("strong");
    assertThat(strong.stream().map(Planned::beam).distinct()).hasSize(3);
    assertThat(PlannedPartitions.plan(options, new EqualTo("beam", "gt2l"), new EqualTo("beam", "gt3l"))).isEmpty();
  }

  @Test
  void aLongitudeBoxAcrossTheAntimeridianNearThePoleReturnsExactlyThePhotonsInside() {
    Predicate<Row> inside = r -> r.<Double>getAs("lon_ph") >= 179.8 || r.<Double>getAs("lon_ph") <= -179.9;
    Set<String> expected = keys(polarRows, inside);
    assertThat(expected.size()).isBetween(polarRows.size() / 100, polarRows.size() / 5);

    Dataset<Row> query = photons(polar).where("lon_ph >= 179.8 or lon_ph <= -179.9");
    assertThat(keys(query.collectAsList(), r -> true)).isEqualTo(expected);
    assertThat(SparkTestSupport.scanMetrics(query).get("photonsScanned")).isLessThan(polarRows.size() / 2L);

    // the turning point: the northernmost photons, on both sides of the antimeridian
    double[] lats = polarRows.stream().mapToDouble(r -> r.getAs("lat_ph")).sorted().toArray();
    double north = quantile(lats, 0.98);
    Set<String> polarCap = keys(polarRows, r -> r.<Double>getAs("lat_ph") >= north);
    Dataset<Row> cap = photons(polar).where(col("lat_ph").geq(north));
    assertThat(keys(cap.collectAsList(), r -> true)).isEqualTo(polarCap);
    assertThat(SparkTestSupport.scanMetrics(cap).get("photonsScanned")).isLessThan(polarRows.size() / 2L);
  }

  @Test
  void planningKeepsEveryPhotonInsideABoxAcrossTheAntimeridianAndFewOthers() {
    Filter across = new Or(new GreaterThanOrEqual("lon_ph", 179.8), new LessThanOrEqual("lon_ph", -179.9));
    List<Planned> planned = PlannedPartitions.plan(Map.of("path", polar.toString()), across);
    long plannedPhotons = planned.stream().mapToLong(Planned::photons).sum();
    assertThat(plannedPhotons).isLessThan(polarRows.size() / 2L);
    for (Row r : polarRows) {
      double lon = r.getAs("lon_ph");
      if (lon >= 179.8 || lon <= -179.9) {
        long index = r.getAs("photon_index");
        String beam = r.getAs("beam");
        assertThat(planned).as("photon %s of %s at lon %s", index, beam, lon).anyMatch(p -> p.beam().equals(beam)
            && p.ranges().stream().anyMatch(range -> index >= range.start() && index < range.end()));
      }
    }
  }

  private Dataset<Row> photons(Path granule) {
    return spark.read().format("atl03").load(granule.toString());
  }

  /** The query scanned fewer photons than 10 % of the granule, and at least those it returns. */
  private void assertPruned(Dataset<Row> executed, Path granule, long returned) {
    Map<String, Long> metrics = SparkTestSupport.scanMetrics(executed);
    assertThat(metrics.get("photonsScanned")).isGreaterThanOrEqualTo(returned).isLessThan(midRows.size() / 10L);
  }

  /** The sum of the stored sizes of the chunks, of each dataset, that hold at least one of the rows' photons. */
  private static long storedBytesOfChunksHolding(Path granule, List<Row> rows, List<String> datasets)
      throws Exception {
    Map<String, Set<Long>> photonsPerBeam = new HashMap<>();
    rows.forEach(r -> photonsPerBeam.computeIfAbsent(r.getAs("beam"), b -> new HashSet<>()).add(r.getAs("photon_index")));
    long bytes = 0;
    try (Hdf5File file = Hdf5File.open(HadoopInputFile.open(
        new org.apache.hadoop.fs.Path(granule.toUri()), new Configuration()))) {
      for (var beam : photonsPerBeam.entrySet()) {
        for (String dataset : datasets) {
          for (ChunkDescriptor chunk : file.chunkIndex(beam.getKey() + "/heights/" + dataset).chunks()) {
            if (beam.getValue().stream().anyMatch(p -> p >= chunk.firstRow() && p < chunk.endRow())) {
              bytes += chunk.storedSize();
            }
          }
        }
      }
    }
    return bytes;
  }

  private static Set<String> keys(List<Row> rows, Predicate<Row> keep) {
    return rows.stream().filter(keep).map(r -> r.<String>getAs("beam") + "#" + r.<Long>getAs("photon_index"))
        .collect(Collectors.toSet());
  }

  private static double quantile(double[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
  }

  private static boolean between(Object value, double low, double high) {
    double v = ((Number) value).doubleValue();
    return v >= low && v <= high;
  }

}
