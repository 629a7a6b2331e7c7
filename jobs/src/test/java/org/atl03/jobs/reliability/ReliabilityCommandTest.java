package org.atl03.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.atl03.jobs.Atl03;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reliability report's own writing, with the cheapest part that writes one (the kill test, zero kills). */
class ReliabilityCommandTest {

  /** A results root that does not exist yet: the run makes it, with an index listing the run. */
  @Test
  void writesItsReportIntoANewResultsRoot(@TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("new-results");
    int exit = Atl03.run("reliability", "--parts", "kills", "--kills-per-target", "0",
        "--work", tmp.resolve("work").toString(), "--results", results.toString());
    assertThat(exit).isZero();

    Path run;
    try (Stream<Path> dirs = Files.list(results)) {
      run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(run.getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}-reliability-kills");
    assertThat(run.resolve("results.json")).isNotEmptyFile();
    assertThat(Files.readString(run.resolve("report.md"))).contains("# Reliability report", "Not run");
    assertThat(Files.readString(results.resolve("README.md"))).startsWith("# Results\n")
        .contains("| [" + run.getFileName() + "](" + run.getFileName() + "/report.md) | reliability | "
            + "fixtures + synthetic | ");
  }
}
