package org.atl03.jobs.bench.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.atl03.jobs.Atl03;
import org.atl03.testing.python.BundledPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `./atl03 pipeline` end to end on the tiny matrix of bench-tiny.json (two small granules, every reader × format,
 * Q1–Q6, one repetition): generate → convert → bench. Checks what it writes and that every cell is accounted for
 * and agrees; never speed.
 */
class BenchPipelineTest {

  @Test
  void theWholePipelineOnATinyMatrix(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/h5repack")), "h5repack absent (hdf5-tools): skipped");
    Path config = Path.of("src/test/resources/bench-tiny.json").toAbsolutePath();
    Path results = tmp.resolve("results");
    int exit = Atl03.run("pipeline", "--config", config.toString(), "--work", tmp.resolve("work").toString(),
        "--results", results.toString());
    assertThat(exit).as("pipeline exit code").isZero();

    Path run;
    try (Stream<Path> dirs = Files.list(results)) {
      run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(run.getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}-bench-tiny");
    for (String file : List.of("results.json", "results.csv", "report.md")) {
      assertThat(run.resolve(file)).isNotEmptyFile();
    }
    assertThat(Files.readString(results.resolve("README.md"))).contains(run.getFileName() + "/report.md");

    BenchConfig tiny = BenchConfig.read(config);
    JsonNode json = new ObjectMapper().readTree(run.resolve("results.json").toFile());
    for (String field : List.of("git_sha", "java_version", "spark_version", "cores", "memory_bytes",
        "load_average_before", "load_average_after", "spark_conf", "libraries")) {
      assertThat(json.get("provenance").has(field)).as("provenance." + field).isTrue();
    }
    assertThat(json.at("/granules")).hasSize(tiny.granuleCount());
    assertThat(json.at("/photons").asLong()).isEqualTo(tiny.granuleCount() * 15L * tiny.photonsPerStrongBeam() / 4);
    for (BenchFormat f : tiny.formats()) {
      assertThat(json.at("/formats/" + f.key() + "/bytes").asLong()).as(f.key()).isPositive();
    }

    // every (query, reader, format) of Q1–Q5 is present exactly once: measured, n/a or could not run, with a reason
    Set<String> seen = new HashSet<>();
    int measured = 0;
    for (JsonNode cell : json.get("cells")) {
      String status = cell.get("status").asText();
      assertThat(status).as(cell.get("id").asText()).isIn("ok", "n/a", "could not run");
      if (!status.equals("ok")) {
        assertThat(cell.get("reason").asText()).as(cell.get("id").asText()).isNotBlank();
        continue;
      }
      measured++;
      assertThat(cell.get("repetitions")).hasSize(tiny.repetitions());
      assertThat(cell.at("/repetitions/0/cold").asBoolean()).isTrue();
      assertThat(cell.get("photons").asLong()).as(cell.get("id").asText()).isPositive();
      assertThat(cell.get("bytes_read").asLong()).as(cell.get("id").asText()).isPositive();
      assertThat(cell.get("agrees").asBoolean()).as(cell.get("id").asText()).isTrue();
      assertThat(cell.at("/result/checksums").size()).isEqualTo(
          BenchQuery.named(cell.get("query").asText()).columns().size() + 1);
      if (!cell.get("query").asText().equals("Q6")) {
        assertThat(seen.add(cell.get("query").asText() + "/" + cell.get("reader").asText() + "/"
            + cell.get("format").asText())).isTrue();
      }
    }
    for (JsonNode cell : json.get("cells")) {
      if (!cell.get("query").asText().equals("Q6")) {
        seen.add(cell.get("query").asText() + "/" + cell.get("reader").asText() + "/" + cell.get("format").asText());
      }
    }
    long q1to5 = tiny.queries().stream().filter(q -> q != BenchQuery.Q6).count();
    assertThat(seen).hasSize((int) (q1to5 * tiny.readers().size() * tiny.formats().size()));
    // the cells that must run here: every Spark reader, jhdf and h5py on each format they read, in every query
    for (BenchQuery q : List.of(BenchQuery.Q1, BenchQuery.Q2, BenchQuery.Q3, BenchQuery.Q4, BenchQuery.Q5)) {
      for (String cell : List.of("jhdf/hdf5", "jhdf/hdf5-paged", "jhdf/hdf5-v007", "atl03/hdf5", "atl03/hdf5-paged",
          "atl03/hdf5-v007", "atl03/refs", "atl03/refs-paged", "sedona/geoparquet", "delta/delta",
          "flatgeobuf/flatgeobuf", "h5py/hdf5", "h5py/hdf5-paged", "h5py/hdf5-v007")) {
        assertThat(status(json, q.name(), cell)).as(q + " " + cell).isEqualTo("ok");
      }
      assertThat(status(json, q.name(), "pyarrow/geoparquet")).isIn("could not run", "ok");
      assertThat(status(json, q.name(), "sedona/hdf5")).isEqualTo("n/a");
    }
    assertThat(measured).isGreaterThanOrEqualTo(5 * 14);
    assertThat(json.at("/checksum_agreement/all_agree").asBoolean()).isTrue();
    json.at("/checksum_agreement/groups").forEach(g ->
        assertThat(g.get("agreeing_cells").asInt()).isEqualTo(g.get("cells").asInt()));
    // Q1 is gt1l only, Q2 every photon, the subsets in between
    long all = json.at("/checksum_agreement/groups/Q2/result/photons").asLong();
    assertThat(all).isEqualTo(json.at("/photons").asLong());
    for (String q : List.of("Q1", "Q3", "Q4", "Q5")) {
      assertThat(json.at("/checksum_agreement/groups/" + q + "/result/photons").asLong()).as(q).isPositive()
          .isLessThan(all);
    }
    // Q6: 1 and 2 granules on both masters, the 2-granule result equal to Q2's
    assertThat(json.at("/checksum_agreement/groups/Q6 over 2 granule(s)/result"))
        .isEqualTo(json.at("/checksum_agreement/groups/Q2/result"));

    List<String> csv = Files.readAllLines(run.resolve("results.csv"));
    assertThat(csv.get(0)).startsWith("query,reader,format,storage,granules,master,status,reason,repetitions,"
        + "cold_seconds,median_seconds,min_seconds,max_seconds");
    assertThat(csv).hasSize(json.get("cells").size() + 1);

    String report = Files.readString(run.resolve("report.md"));
    for (BenchQuery q : tiny.queries()) {
      assertThat(report).contains("## " + q.name());
    }
    assertThat(report).contains("| reader \\ format | hdf5 | hdf5-paged | hdf5-v007 | refs | refs-paged | geoparquet "
        + "| delta | flatgeobuf |").contains("hackweek's published numbers").contains("109.9")
        .contains("could not run [").contains("Checksum agreement: all");
    if (BundledPython.missingModules(BundledPython.python(), List.of("matplotlib")) == null) {
      for (String q : List.of("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "crossover")) {
        assertThat(run.resolve("chart-" + q + ".png")).isNotEmptyFile();
      }
    }
    crossover(tiny.crossover(), json.get("crossover"), report);
  }

  /** Every reader measured at every size and storage of the crossover, agreeing; its headline opens the report. */
  private static void crossover(BenchConfig.Crossover config, JsonNode crossover, String report) {
    assertThat(crossover.get("points")).hasSize(config.photonsPerStrongBeam().size() * config.readers().size()
        * config.storage().size());
    for (JsonNode p : crossover.get("points")) {
      String id = p.get("reader").asText() + " " + p.get("storage").asText() + " " + p.get("photons_per_strong_beam");
      assertThat(p.get("status").asText()).as(id + ": " + p.get("reason")).isEqualTo("ok");
      assertThat(p.get("photons").asLong()).as(id).isEqualTo(p.get("photons_per_strong_beam").asLong());
      assertThat(p.get("seconds")).as(id).hasSize(config.repetitions());
      if (!p.get("storage").asText().equals("local")) {
        assertThat(p.get("requests").asLong()).as(id).isPositive();
      }
    }
    assertThat(crossover.get("all_agree").asBoolean()).isTrue();
    assertThat(crossover.get("crossings")).hasSize(config.storage().size() * (config.readers().size() - 1));
    crossover.get("crossings").forEach(c -> assertThat(c.get("kind").asText()).isNotEqualTo("not_measured"));
    String opening = report.lines().skip(2).findFirst().orElse("");
    assertThat(opening).startsWith("**Where Spark pays off**");
    assertThat(report).contains("## Where Spark pays off").contains("All readers agree");
  }

  private static String status(JsonNode json, String query, String readerFormat) {
    String[] rf = readerFormat.split("/");
    for (JsonNode cell : json.get("cells")) {
      if (cell.get("query").asText().equals(query) && cell.get("reader").asText().equals(rf[0])
          && cell.get("format").asText().equals(rf[1])) {
        return cell.get("status").asText() + (cell.get("status").asText().equals("failed")
            ? ": " + cell.get("reason").asText() : "");
      }
    }
    return "absent";
  }
}
