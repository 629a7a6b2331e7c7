package org.atl03.jobs.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results layout every job shares: the run's directory and its one row in RESULTS/README.md. */
class RunDirectoryTest {

  @Test
  void aNewResultsRootGetsTheIndexWithItsHeader(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("new-results");
    Path run = RunDirectory.writeRun(root, "2026-01-02-job", Map.of("photons", 7), "photons\n7\n", "# report\n",
        new RunDirectory.IndexRow("job", "1 granule", "fast"));

    assertThat(run).isEqualTo(root.resolve("2026-01-02-job"));
    assertThat(run.resolve("results.json")).hasContent("{\n  \"photons\" : 7\n}");
    assertThat(run.resolve("results.csv")).hasContent("photons\n7");
    assertThat(run.resolve("report.md")).hasContent("# report");
    assertThat(Files.readString(root.resolve("README.md"))).isEqualTo(RunDirectory.INDEX_HEADER
        + "| [2026-01-02-job](2026-01-02-job/report.md) | job | 1 granule | fast |\n");
  }

  @Test
  void aRerunReplacesItsRowAndKeepsTheOthers(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("README.md"), "# Results\n\nOur own words.\n\n| run | job | granule | summary |\n"
        + "| --- | --- | --- | --- |\n| [2026-01-01-a](2026-01-01-a/report.md) | a | g | first |\n"
        + "| [2026-01-02-b](2026-01-02-b/report.md) | b | g | before |\n"
        + "| [2026-01-03-c](2026-01-03-c/report.md) | c | g | third |\n");
    RunDirectory.create(tmp, "2026-01-02-b").index(new RunDirectory.IndexRow("b", "g", "after"));

    assertThat(Files.readAllLines(tmp.resolve("README.md"))).containsExactly("# Results", "", "Our own words.", "",
        "| run | job | granule | summary |", "| --- | --- | --- | --- |",
        "| [2026-01-01-a](2026-01-01-a/report.md) | a | g | first |",
        "| [2026-01-03-c](2026-01-03-c/report.md) | c | g | third |",
        "| [2026-01-02-b](2026-01-02-b/report.md) | b | g | after |");
  }

  @Test
  void jsonIsIndentedAndEndsTheLine(@TempDir Path tmp) throws Exception {
    RunDirectory run = RunDirectory.create(tmp, "run");
    run.writeJson(Map.of("photons", List.of(1, 2)));
    assertThat(Files.readString(run.path().resolve("results.json")))
        .isEqualTo("{\n  \"photons\" : [ 1, 2 ]\n}\n");
  }
}
