package org.atl03.jobs.bench.heap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atl03.jobs.Atl03;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** heap-bench on a small granule: the child JVM runs the scans at the heap asked for and the run is written. */
class HeapBenchCommandTest {

  @Test
  void theChildScansEveryPhotonAtTheHeapAskedForAndTheRunIsWritten(@TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("results");
    int exit = Atl03.run("heap-bench", "--photons-per-strong-beam", "20000", "--heap", "512m", "--work",
        tmp.resolve("work").toString(), "--results", results.toString());
    assertThat(exit).isZero();
    Path run;
    try (var dirs = Files.list(results)) {
      run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(run.getFileName().toString()).endsWith("-heap-bench");
    JsonNode json = new ObjectMapper().readTree(run.resolve("results.json").toFile());
    assertThat(json.at("/completed").asBoolean()).isTrue();
    assertThat(json.at("/scan/photons").asLong()).isEqualTo(3 * 20_000 + 3 * 5_000);
    assertThat(json.at("/scan/seconds")).hasSize(2); // cold, then warm
    // the child's own heap, not this JVM's: -Xmx512m (the target's; Spark refuses less than 450 MiB)
    assertThat(json.at("/scan/max_heap_bytes").asLong()).isPositive().isLessThanOrEqualTo(512L << 20);
    assertThat(json.at("/scan/peak_heap_bytes").asLong()).isPositive();
    assertThat(json.at("/target").asText()).startsWith("not tested by this run"); // a 2 MB granule
    assertThat(Files.readString(run.resolve("report.md"))).contains("-Xmx512m", "| yes |");
    assertThat(Files.readString(results.resolve("README.md"))).contains(run.getFileName() + "/report.md");
  }

  @Test
  void heapSizesAreReadAsTheJvmReadsThem() {
    assertThat(HeapBenchCommand.heapBytes("512m")).isEqualTo(512L << 20);
    assertThat(HeapBenchCommand.heapBytes("2G")).isEqualTo(2L << 30);
    assertThat(HeapBenchCommand.heapBytes("536870912")).isEqualTo(512L << 20);
  }
}
