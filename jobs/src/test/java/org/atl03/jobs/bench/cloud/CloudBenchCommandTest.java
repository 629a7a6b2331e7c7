package org.atl03.jobs.bench.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atl03.jobs.Atl03;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs cloud-bench on a tiny granule at one RTT and checks what it writes: structure and counts, never speed. */
class CloudBenchCommandTest {

  @Test
  void writesResultsForEveryReaderStoreAndLayout(@TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("results");
    int exit = Atl03.run("cloud-bench", "--photons-per-strong-beam", "5000", "--warmups", "0", "--repetitions", "1",
        "--rtt-ms", "5", "--work", tmp.resolve("work").toString(), "--results", results.toString());
    assertThat(exit).isZero();

    Path run = results.resolve(Files.list(results).filter(Files::isDirectory).findFirst().orElseThrow().getFileName());
    assertThat(run.getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}-cloud-bench");
    for (String file : List.of("results.json", "results.csv", "report.md")) {
      assertThat(run.resolve(file)).isNotEmptyFile();
    }
    assertThat(Files.readString(results.resolve("README.md"))).contains(run.getFileName() + "/report.md");

    JsonNode json = new ObjectMapper().readTree(run.resolve("results.json").toFile());
    assertThat(json.at("/provenance/git_sha").isMissingNode()).isFalse();
    assertThat(json.at("/provenance/peer_versions/fsspec").asText()).isNotEmpty();
    assertThat(json.get("photon_counts_agree").asBoolean()).isTrue();
    List<String> names = new ArrayList<>();
    for (JsonNode r : json.get("runs")) {
      names.add(r.get("name").asText());
      assertThat(r.get("photons").asLong()).as(r.get("name").asText()).isEqualTo(5000);
      assertThat(r.get("proxy_requests").asLong()).as(r.get("name").asText()).isPositive();
      assertThat(r.get("proxy_bytes_down").asLong()).as(r.get("name").asText()).isPositive();
      assertThat(r.get("seconds")).hasSize(1);
    }
    assertThat(names).containsExactlyInAnyOrder(
        "ours/s3a/original@5ms", "ours/http/original@5ms", "h5py+fsspec/http/original@5ms",
        "ours/s3a/paged@5ms", "ours/http/paged@5ms", "h5py+fsspec/http/paged@5ms",
        "ours/s3a/refs@5ms", "ours/http/refs@5ms",
        "ours-reader/s3a/original@5ms", "ours-reader/http/original@5ms", "ours-reader/s3a/paged@5ms",
        "ours-reader/http/paged@5ms", "ours-reader/s3a/refs@5ms", "ours-reader/http/refs@5ms");
    for (JsonNode r : json.get("runs")) {
      if (r.get("layout").asText().equals("refs")) {
        // the references, read once; no HDF5 metadata
        assertThat(r.at("/metrics/planningReadRequests").asLong()).isEqualTo(1);
      } else if (r.get("layout").asText().equals("paged") && r.get("reader").asText().startsWith("ours")) {
        // metadata in whole 8 MiB pages: the superblock probe and one page, then the rgt, cycle and GPS-epoch
        // scalars (raw data, read at once); in 64 KiB blocks this was 20 requests more
        assertThat(r.at("/metrics/planningReadRequests").asLong()).isBetween(2L, 5L);
      } else if (r.get("reader").asText().startsWith("ours")) {
        // the original's metadata in 1 MiB blocks, its chunk B-trees loaded a level at a time
        assertThat(r.at("/metrics/planningReadRequests").asLong()).isBetween(1L, 8L);
      }
      if (r.get("reader").asText().equals("ours")) {
        assertThat(r.at("/metrics/readRequests").asLong()).isPositive();
      }
    }
    assertThat(json.get("ratios")).hasSize(12);
    assertThat(json.get("spark_floor_median_seconds").asDouble()).isPositive();
  }
}
