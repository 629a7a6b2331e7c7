package org.atl03.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Atl03CommandLineTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = new SparkOptions().session("atl03 command-line test");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pipeline", "generate", "scan", "sql"})
  void everyJobHasHelp(String job) {
    String out = capture(() -> assertThat(Atl03.run(job, "--help")).isZero());
    assertThat(out).startsWith("Usage: atl03 " + job).contains("--help");
  }

  @Test
  void unknownJobIsAUsageError() {
    assertThat(Atl03.run("no-such-job")).isEqualTo(2);
  }

  @Test
  void scanOfTheRealNasaSubsetMatchesTheHdf5CLibrary() throws Exception {
    Path granule = Fixtures.require("atl03/ATL03_gt1l.h5");
    JsonNode expected =
        new ObjectMapper().readTree(Fixtures.require("atl03/ATL03_gt1l.expected.json").toFile());
    JsonNode hPh = expected.path("datasets").path("/gt1l/heights/h_ph");

    List<BeamSummary> beams = BeamSummaries.compute(spark, List.of(granule.toString()), null);

    assertThat(beams).hasSize(1);
    BeamSummary gt1l = beams.get(0);
    assertThat(gt1l.beam()).isEqualTo("gt1l");
    assertThat(gt1l.strength()).isEqualTo("weak");
    assertThat(gt1l.photons()).isEqualTo(expected.path("photons_gt1l").asLong());
    assertThat(gt1l.segments()).isEqualTo(expected.path("segments_gt1l").asLong());
    assertThat(gt1l.hPhSum()).isEqualTo(hPh.path("sum_float64").asDouble());
  }

  @Test
  void scanFiltersWithSql() {
    Path granule = Fixtures.require("atl03/ATL03_gt1l.h5");
    List<BeamSummary> beams = BeamSummaries.compute(spark, List.of(granule.toString()), "lon_ph > 170");
    assertThat(beams).hasSize(1);
    assertThat(beams.get(0).photons()).isEqualTo(304); // the subset's stretch at 179° E
    assertThat(beams.get(0).segments()).isEqualTo(4);
  }

  @Test
  void scanNamesTheFileThatIsNotAtl03() {
    Path notAtl03 = Fixtures.require("atl03/ATL03_indexbegin_start_end_FVs.h5");
    assertThat(Atl03.run("scan", "--master", "local[1]", notAtl03.toString())).isEqualTo(1);
  }

  static String capture(Runnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
