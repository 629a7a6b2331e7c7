package org.atl03.jobs.bench.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atl03.jobs.Atl03;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs convert-bench on a tiny granule with refs and h5repack and checks what it writes, never speed. */
class ConvertBenchCommandTest {

  @Test
  void writesResultsForTheOriginalAndEveryFormat(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/h5repack")), "h5repack absent (hdf5-tools): skipped");
    Path results = tmp.resolve("results");
    int exit = Atl03.run("convert-bench", "--photons-per-strong-beam", "20000", "--formats", "refs,h5repack,flatgeobuf,geoparquet,delta",
        "--warmups", "0", "--repetitions", "1", "--work", tmp.resolve("work").toString(),
        "--results", results.toString());
    assertThat(exit).isZero();

    Path run;
    try (Stream<Path> dirs = Files.list(results)) {
      run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(run.getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}-convert-bench");
    for (String file : List.of("results.json", "results.csv", "report.md")) {
      assertThat(run.resolve(file)).isNotEmptyFile();
    }
    assertThat(Files.readString(results.resolve("README.md"))).contains(run.getFileName() + "/report.md");

    JsonNode json = new ObjectMapper().readTree(run.resolve("results.json").toFile());
    for (String field : List.of("git_sha", "java_version", "spark_version", "cores", "memory_bytes", "timestamp")) {
      assertThat(json.get("provenance").has(field)).as("provenance." + field).isTrue();
    }
    long photons = json.at("/granule/photons").asLong();
    assertThat(photons).isEqualTo(3 * 20_000 + 3 * 5_000);
    long granuleBytes = json.at("/granule/bytes").asLong();
    JsonNode formats = json.get("formats");
    List<String> names = new ArrayList<>();
    formats.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("original", "refs", "h5repack", "flatgeobuf", "geoparquet", "delta");

    JsonNode original = formats.get("original");
    assertThat(original.has("conversion")).isFalse();
    assertThat(original.get("bytes").asLong()).isEqualTo(granuleBytes);
    long bboxPhotons = original.at("/bbox_query/photons").asLong();
    assertThat(bboxPhotons).isPositive().isLessThan(photons / 10);
    // the original is read through Hadoop's file scheme: the statistics saw it, and less than the whole file
    assertThat(original.at("/bbox_query/bytes_read").asLong()).isPositive().isLessThan(granuleBytes);
    assertThat(original.at("/bbox_query/scan_metrics/bytesRead").asLong()).isPositive();
    for (String format : names.subList(1, names.size())) {
      JsonNode f = formats.get(format);
      assertThat(f.at("/conversion/seconds").asDouble()).as(format).isPositive();
      assertThat(f.at("/conversion/photons_per_second").asDouble()).as(format).isPositive();
      assertThat(f.get("bytes").asLong()).as(format).isPositive();
      assertThat(f.get("bytes_vs_original").asDouble())
          .isEqualTo((double) f.get("bytes").asLong() / granuleBytes);
      assertThat(f.at("/bbox_query/photons").asLong()).as(format).isEqualTo(bboxPhotons);
      assertThat(f.at("/bbox_query/bytes_read").asLong()).as(format).isPositive();
      assertThat(f.at("/bbox_query/seconds")).hasSize(1);
    }
    // pruning, in each format's own units: never more than there is, never less than the photons returned
    for (String format : names) {
      JsonNode counts = formats.get(format).at("/bbox_query/pruning/counts");
      assertThat(counts.size()).as(format).isPositive();
      for (JsonNode c : counts) {
        assertThat(c.get("read").asLong()).as(format + " " + c).isPositive()
            .isLessThanOrEqualTo(c.get("total").asLong());
      }
    }
    assertThat(formats.at("/original/bbox_query/pruning/counts/0/read").asLong()).isBetween(bboxPhotons, photons / 2);
    assertThat(formats.at("/flatgeobuf/bbox_query/pruning/counts/0/read").asLong())
        .isBetween(bboxPhotons, photons / 2);
    for (String format : List.of("geoparquet", "delta")) {
      JsonNode pruning = formats.get(format).at("/bbox_query/pruning");
      assertThat(pruning.at("/counts/0/unit").asText()).isEqualTo("files");
      assertThat(pruning.at("/counts/1/unit").asText()).isEqualTo("row groups");
      assertThat(pruning.get("rows_scanned").asLong()).as(format).isGreaterThanOrEqualTo(bboxPhotons);
      assertThat(pruning.get("scan_within_row_groups").asBoolean()).as(format + " " + pruning).isTrue();
    }
    assertThat(Files.readString(run.resolve("report.md"))).contains("bbox pruning", "row groups", "features");
    // refs are small JSON; the paged copy is at least one 8 MiB page
    assertThat(formats.at("/refs/bytes").asLong()).isLessThan(granuleBytes);
    assertThat(formats.at("/h5repack/bytes").asLong()).isGreaterThanOrEqualTo(8L * 1024 * 1024);
    assertThat(json.at("/bbox_photons_agree").asBoolean()).isTrue();
    assertThat(Files.readAllLines(run.resolve("results.csv"))).hasSize(7);
  }
}
