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
    RunDirectory run = RunDirectory.create(root, "2026-01-02-job");
    run.write(RunDirectory.REPORT, "# report\n");
    run.index("job", "1 granule", "fast");

    assertThat(run.path()).isEqualTo(root.resolve("2026-01-02-job"));
    assertThat(run.path().resolve("report.md")).hasContent("# report");
    assertThat(Files.readString(root.resolve("README.md"))).isEqualTo(RunDirectory.INDEX_HEADER
        + "| [2026-01-02-job](2026-01-02-job/report.md) | job | 1 granule | fast |\n");
  }

  @Test
  void aRerunReplacesItsRowAndKeepsTheOthers(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("README.md"), "# Results\n\nOur own words.\n\n| run | job | granule | summary |\n"
        + "| --- | --- | --- | --- |\n| [2026-01-01-a](2026-01-01-a/report.md) | a | g | first |\n"
        + "| [2026-01-02-b](2026-01-02-b/report.md) | b | g | before |\n"
        + "| [2026-01-03-c](2026-01-03-c/report.md) | c | g | third |\n");
    RunDirectory.create(tmp, "2026-01-02-b").index("b", "g", "after");

    assertThat(Files.readAllLines(tmp.resolve("README.md"))).containsExactly("# Results", "", "Our own words.", "",
        "| run | job | granule | summary |", "| --- | --- | --- | --- |",
        "| [2026-01-01-a](2026-01-01-a/report.md) | a | g | first |",
        "| [2026-01-03-c](2026-01-03-c/report.md) | c | g | third |",
        "| [2026-01-02-b](2026-01-02-b/report.md) | b | g | after |");
  }

  @Test
  void jsonIsIndentedAndEndsTheLine(@TempDir Path tmp) throws Exception {
    RunDirectory run = RunDirectory.create(tmp, "run");
    run.writeJson("results.json", Map.of("photons", List.of(1, 2)));
    assertThat(Files.readString(run.path().resolve("results.json")))
        .isEqualTo("{\n  \"photons\" : [ 1, 2 ]\n}\n");
  }
}
