package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.SparkTestSupport;
import org.atl03.datasource.spark.atl03.PlannedPartitions.Planned;
import org.atl03.datasource.spark.atl03.PlannedPartitions;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.python.TestScripts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value the atl03 source returns for synthetic granules (v006 and v007 layouts, and a v006 granule repacked
 * with paged aggregation by h5repack) equals what h5py reads from the same datasets, photon by photon: compared as
 * crc32 of the little-endian bytes in photon order, and float64 sums.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyntheticGranulesMatchH5pyTest {

  /** Five 10,000-photon v006 chunks per strong beam; two chunks per partition cut each strong beam three times. */
  private static final long PHOTONS_PER_STRONG_BEAM = 50_000;
  private static final int CHUNKS_PER_PARTITION = 2;
  private static final String EXTRA_DATASETS = "weight_ph,pce_mframe_cnt,segment_dist_x";
  private static final List<String> COLUMNS = List.of("delta_time", "lat_ph", "lon_ph", "h_ph", "signal_conf_ph",
      "quality_ph", "weight_ph", "pce_mframe_cnt", "segment_id", "segment_dist_x");

  private SparkSession spark;
  private Path v006Dir;
  private List<Path> v006;
  private Path v007;
  private Path repacked;

  @BeforeAll
  void generate(@TempDir Path tmp) {
    Configurator.setLevel("io.jhdf", Level.WARN);
    v006Dir = tmp.resolve("v006");
    v006 = Generator.generate(new GeneratorOptions(v006Dir, 2, PHOTONS_PER_STRONG_BEAM, 11, Layout.V006));
    v007 = Generator.generate(new GeneratorOptions(tmp.resolve("v007"), 1, PHOTONS_PER_STRONG_BEAM, 12, Layout.V007))
        .get(0);
    spark = SparkTestSupport.localSpark();
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void v006GranulesLoadedAsADirectoryWithSmallPartitionsEqualH5pyInEveryBeam() throws Exception {
    Map<String, List<Row>> rows = read(v006Dir.toString(), CHUNKS_PER_PARTITION);
    assertThat(rows.keySet()).hasSize(2 * 6);
    for (Path granule : v006) {
      assertEqualsH5py(granule, rows);
    }
  }

  @Test
  void smallPartitionsCutEveryStrongBeamSoThatRowsAtPartitionEdgesAreCompared() {
    List<Planned> planned = PlannedPartitions.plan(Map.of("path", v006.get(0).toString(),
        "chunksPerPartition", Integer.toString(CHUNKS_PER_PARTITION)));
    Map<String, List<Planned>> strong = new LinkedHashMap<>();
    planned.stream().filter(p -> p.beamStrength().equals("strong"))
        .forEach(p -> strong.computeIfAbsent(p.beam(), b -> new ArrayList<>()).add(p));
    assertThat(strong).hasSize(3);
    for (List<Planned> beam : strong.values()) {
      assertThat(beam).extracting(p -> p.window().start()).containsExactly(0L, 20_000L, 40_000L);
    }
  }

  @Test
  void v007GranuleWithPagedAggregationEqualsH5py() throws Exception {
    assertEqualsH5py(v007, read(v007.toString(), 0));
  }

  @Test
  void v006GranuleRepackedWithPagedAggregationEqualsH5pyAndTheOriginal() throws Exception {
    Path original = v006.get(0);
    Path repackedGranule = SourceTestSupport.repackPaged(original,
        original.getParent().resolveSibling("repacked").resolve(original.getFileName()));
    Map<String, List<Row>> rows = read(repackedGranule.toString(), 1);
    assertEqualsH5py(repackedGranule, rows);
    // the same values as the original granule: h5repack changed the layout only
    JsonNode before = TestScripts.json("photon_checksums.py", original.toString());
    JsonNode after = TestScripts.json("photon_checksums.py", repackedGranule.toString());
    assertThat(after).isEqualTo(before);
  }

  @Test
  void aGlobLoadsEveryMatchingGranuleOnce() {
    String glob = v006Dir.resolve("ATL03_*_006_01.h5").toString();
    List<Row> counts = spark.read().format("atl03").load(glob).groupBy("granule").count().orderBy("granule")
        .collectAsList();
    assertThat(counts).extracting(r -> r.getString(0))
        .containsExactly(v006.stream().map(p -> p.getFileName().toString()).sorted().toArray(String[]::new));
    long photonsPerGranule = 3 * PHOTONS_PER_STRONG_BEAM + 3 * PHOTONS_PER_STRONG_BEAM / 4;
    assertThat(counts).extracting(r -> r.getLong(1)).containsOnly(photonsPerGranule);
  }

  /** Rows per "granule/beam", in photon order. */
  private Map<String, List<Row>> read(String path, int chunksPerPartition) {
    var reader = spark.read().format("atl03").option("datasets", EXTRA_DATASETS);
    if (chunksPerPartition > 0) {
      reader = reader.option("chunksPerPartition", chunksPerPartition);
    }
    Map<String, List<Row>> byBeam = new LinkedHashMap<>();
    Iterator<Row> it = reader.load(path).orderBy("granule", "beam", "photon_index").toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      byBeam.computeIfAbsent(r.<String>getAs("granule") + "/" + r.<String>getAs("beam"), k -> new ArrayList<>())
          .add(r);
    }
    return byBeam;
  }

  private static void assertEqualsH5py(Path granule, Map<String, List<Row>> rows) throws Exception {
    JsonNode expected = TestScripts.json("photon_checksums.py", granule.toString());
    String name = granule.getFileName().toString();
    assertThat(expected.size()).isEqualTo(6);
    for (Iterator<String> beams = expected.fieldNames(); beams.hasNext(); ) {
      String beam = beams.next();
      JsonNode want = expected.get(beam);
      List<Row> got = rows.getOrDefault(name + "/" + beam, List.of());
      assertThat(got).as("%s %s photons", name, beam).hasSize(want.get("photons").asInt());
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).<Long>getAs("photon_index")).isEqualTo(i);
      }
      for (String column : COLUMNS) {
        JsonNode c = want.get("columns").get(column);
        assertThat(SourceTestSupport.crc(got, column, c.get("dtype").asText()))
            .as("%s %s %s crc32", name, beam, column).isEqualTo(c.get("crc32").asLong());
        // numpy sums pairwise, Java in order: the rounding differs by far less than 1e-12 of the magnitudes
        double sum = c.get("sum").asDouble();
        double magnitudes = got.stream().mapToDouble(r -> Math.abs(SourceTestSupport.sum(List.of(r), column))).sum();
        assertThat(SourceTestSupport.sum(got, column)).as("%s %s %s sum", name, beam, column)
            .isCloseTo(sum, within(magnitudes * 1e-12 + 1e-9));
      }
    }
  }
}
