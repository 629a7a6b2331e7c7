package org.atl03.jobs.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.atl03.jobs.Atl03;
import org.atl03.testing.python.BundledPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./atl03 scale-bench} at a tiny size (local disk only, no cluster): it builds a catalog per N, plans both
 * queries both ways, and the catalog's answers equal the files' with no HDF5 request on the driver; the report
 * carries the targets, the scaling section and, where matplotlib is installed, the planning chart.
 */
class ScaleBenchCommandTest {

  @Test
  void measuresPlanningFromFilesAndFromTheCatalog(@TempDir Path tmp) throws Exception {
    int exit = Atl03.run("scale-bench", "--granules", "1,3", "--photons-per-strong-beam", "400", "--rtt", "0",
        "--cluster-granules", "0", "--cluster-large-granules", "0", "--archive-granules", "0", "--warmups", "0",
        "--repetitions", "1",
        "--work", tmp.resolve("work").toString(), "--results", tmp.resolve("results").toString());
    assertThat(exit).isZero();

    Path[] runs = Files.list(tmp.resolve("results")).filter(Files::isDirectory).toArray(Path[]::new);
    assertThat(runs).hasSize(1);
    Path run = runs[0];
    assertThat(run.getFileName().toString()).endsWith("-scale-bench");
    JsonNode json = new ObjectMapper().readTree(run.resolve("results.json").toFile());
    assertThat(json.get("builds")).hasSize(2);
    assertThat(json.get("builds").get(1).get("windows").asLong()).isEqualTo(18); // 3 granules × 6 beams
    assertThat(json.get("executor_scaling")).isEmpty();

    JsonNode planning = json.get("planning");
    assertThat(planning).hasSize(8); // 2 N × 2 queries × files, catalog
    Map<String, Long> photons = new HashMap<>();
    for (JsonNode r : planning) {
      String key = r.get("granules").asInt() + " " + r.get("query").asText();
      long n = r.get("photons").asLong();
      Long other = photons.putIfAbsent(key, n);
      if (other != null) {
        assertThat(n).as("photons of %s from the files and from the catalog", key).isEqualTo(other);
      }
      if (r.get("source").asText().equals("catalog")) {
        assertThat(r.get("metrics").get("planningReadRequests").asLong()).as(key).isZero();
        assertThat(r.get("metrics").get("catalogFilesRead").asLong()).as(key).isPositive();
      } else {
        assertThat(r.get("metrics").get("planningReadRequests").asLong()).as(key).isPositive();
      }
    }
    assertThat(photons.get("3 full scan")).isEqualTo(3 * (3 * 400 + 3 * 100)); // strong beams 400, weak 100
    assertThat(photons.get("1 1 % bbox")).isPositive().isLessThan(photons.get("1 full scan"));

    String report = Files.readString(run.resolve("report.md"));
    assertThat(report).contains("## Targets").contains("## Executor scaling").contains("| not run |")
        .contains("executor scaling 1 → 2");
    if (BundledPython.missingModules(BundledPython.python(), List.of("matplotlib")) == null) {
      assertThat(run.resolve("chart-planning.png")).isNotEmptyFile();
      assertThat(report).contains("![chart-planning.png](chart-planning.png)");
    } else {
      assertThat(report).contains("No charts: ");
    }
    assertThat(Files.readString(tmp.resolve("results/README.md"))).contains(run.getFileName() + "/report.md");
  }
}
