package org.atl03.jobs.bench.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.atl03.jobs.Atl03;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs scan-bench on a tiny granule and checks what it writes: structure and consistency, never speed. */
class ScanBenchCommandTest {

  @Test
  void writesResultsWithConsistentPhotonCounts(@TempDir Path tmp) throws Exception {
    Path results = tmp.resolve("results");
    // --launcher-runs 0: under `mvn verify` the launcher's jar is not packaged yet (LauncherStartTest times a stand-in)
    int exit = Atl03.run("scan-bench", "--photons-per-strong-beam", "20000", "--warmups", "0", "--repetitions", "1",
        "--launcher-runs", "0", "--work", tmp.resolve("work").toString(), "--results", results.toString());
    assertThat(exit).isZero();

    Path run;
    try (Stream<Path> dirs = Files.list(results)) {
      run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(run.getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}-scan-bench");
    for (String file : List.of("results.json", "results.csv", "report.md")) {
      assertThat(run.resolve(file)).isNotEmptyFile();
    }
    assertThat(Files.readString(results.resolve("README.md"))).contains(run.getFileName() + "/report.md");

    JsonNode json = new ObjectMapper().readTree(run.resolve("results.json").toFile());
    for (String field : List.of("git_sha", "java_version", "spark_version", "cores", "memory_bytes", "timestamp")) {
      assertThat(json.get("provenance").has(field)).as("provenance." + field).isTrue();
    }
    assertThat(json.at("/granule/bytes").asLong()).isPositive();
    assertThat(json.at("/options/repetitions").asInt()).isEqualTo(1);
    JsonNode m = json.get("measurements");
    for (String name : List.of("ours_full_scan", "ours_scan_only", "h5py_full_scan", "inflate_floor",
        "inflate_floor_libdeflate", "ours_bbox_query", "refs_write", "refs_full_scan", "refs_bbox_query",
        "catalog_full_scan", "catalog_bbox_query", "catalog_point_query")) {
      assertThat(m.has(name)).as(name).isTrue();
      assertThat(m.get(name).get("seconds")).hasSize(1);
      if (!name.equals("catalog_point_query")) { // a 1 m box may well hold no photon
        assertThat(m.get(name).get("photons_per_second").asDouble()).isPositive();
      }
    }
    long total = json.at("/granule/photons").asLong();
    // 20,000 per strong beam, a quarter per weak beam
    assertThat(total).isEqualTo(3 * 20_000 + 3 * 5_000);
    assertThat(m.at("/ours_full_scan/photons").asLong()).isEqualTo(total);
    assertThat(m.at("/h5py_full_scan/photons").asLong()).isEqualTo(total);
    assertThat(m.at("/inflate_floor/photons").asLong()).isEqualTo(total);
    // the two floors decode the same chunks to the same bytes; the scan names its inflater (installed here)
    assertThat(m.at("/inflate_floor_libdeflate/checksum").asLong()).isEqualTo(m.at("/inflate_floor/checksum").asLong());
    assertThat(json.at("/options/inflater").asText()).isEqualTo("libdeflate");
    assertThat(m.at("/ours_full_scan/peak_heap_bytes").asLong()).isPositive();
    assertThat(json.at("/ratios/heap_target").asText()).startsWith("not tested by this run"); // a 2 MB granule
    assertThat(json.at("/ratios/launcher_help").asText()).isEqualTo("not measured: --launcher-runs 0");
    assertThat(m.at("/ours_full_scan/bytes_read").asLong()).isPositive();
    assertThat(m.at("/ours_full_scan/chunks_decoded").asLong())
        .isEqualTo(m.at("/inflate_floor/chunks_decoded").asLong());
    long bbox = m.at("/ours_bbox_query/photons").asLong();
    assertThat(bbox).isPositive().isLessThanOrEqualTo(total);
    assertThat(m.at("/ours_bbox_query/bytes_read").asLong()).isLessThan(m.at("/ours_full_scan/bytes_read").asLong());
    assertThat(m.at("/ours_bbox_query/needed_chunks_stored_bytes").asLong()).isPositive();
    assertThat(json.at("/ratios/ours_vs_h5py").isNumber()).isTrue();
    for (String ratio : List.of("ours_vs_inflate_floor", "ours_vs_libdeflate_floor", "scan_only_vs_h5py",
        "scan_only_vs_inflate_floor", "scan_only_vs_libdeflate_floor", "libdeflate_floor_vs_inflate_floor")) {
      assertThat(json.at("/ratios/" + ratio).isNumber()).as(ratio).isTrue();
    }
    assertThat(json.at("/ratios/scan_only_vs_libdeflate_floor_target").asDouble()).isEqualTo(0.6);
    assertThat(json.at("/photon_counts_agree").asBoolean()).isTrue();
    assertThat(Files.readAllLines(run.resolve("results.csv"))).hasSize(1 + 12);
    // through the catalog: the same photons, planned with no HDF5 read on the driver
    assertThat(m.at("/catalog_full_scan/photons").asLong()).isEqualTo(total);
    assertThat(m.at("/catalog_bbox_query/photons").asLong()).isEqualTo(bbox);
    assertThat(m.at("/catalog_bbox_query/planning_read_requests").asLong()).isZero();
    assertThat(m.at("/catalog_point_query/photons").asLong()).isLessThan(bbox);
    assertThat(json.at("/ratios/catalog_bbox_vs_full_scan").isNumber()).isTrue();
    assertThat(Files.readString(run.resolve("report.md"))).contains("## Through a catalog");

    // scan only: the same scan as the aggregate query, batches counted instead of aggregated
    assertThat(m.at("/ours_scan_only/photons").asLong()).isEqualTo(total);
    assertThat(m.at("/ours_scan_only/bytes_read").asLong()).isEqualTo(m.at("/ours_full_scan/bytes_read").asLong());
    assertThat(m.at("/ours_scan_only/chunks_decoded").asLong())
        .isEqualTo(m.at("/ours_full_scan/chunks_decoded").asLong());

    // refs: written, then scanned with the same queries; tasks read the same chunks, planning no HDF5 metadata
    assertThat(m.at("/refs_write/json_bytes").asLong()).isPositive();
    assertThat(m.at("/refs_write/arrays").asInt()).isGreaterThan(6 * 80);
    assertThat(m.at("/refs_write/chunk_refs").asLong()).isPositive();
    assertThat(Path.of(m.at("/refs_write/path").asText())).isNotEmptyFile()
        .startsWith(tmp.resolve("work").toAbsolutePath());
    assertThat(m.at("/refs_full_scan/photons").asLong()).isEqualTo(total);
    assertThat(m.at("/refs_full_scan/checksum").asDouble()).isEqualTo(m.at("/ours_full_scan/checksum").asDouble());
    assertThat(m.at("/refs_full_scan/bytes_read").asLong()).isEqualTo(m.at("/ours_full_scan/bytes_read").asLong());
    assertThat(m.at("/refs_bbox_query/photons").asLong()).isEqualTo(bbox);
    assertThat(m.at("/refs_bbox_query/bytes_read").asLong()).isEqualTo(m.at("/ours_bbox_query/bytes_read").asLong());
    for (String refs : List.of("refs_full_scan", "refs_bbox_query")) {
      assertThat(m.at("/" + refs + "/planning_reads_only_json_and_chunks").asBoolean()).as(refs).isTrue();
      assertThat(m.at("/" + refs + "/planning_read_requests").asLong()).as(refs).isPositive();
    }
    String report = Files.readString(run.resolve("report.md"));
    assertThat(report).contains("## kerchunk refs", "aggregate query", "scan only", "| bbox | refs |");
  }
}
