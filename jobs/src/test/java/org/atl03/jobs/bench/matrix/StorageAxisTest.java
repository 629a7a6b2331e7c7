package org.atl03.jobs.bench.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.atl03.jobs.SparkOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage axis: the same cells on local disk, the loopback S3 server and nginx over HTTP (both behind the
 * latency proxy) return the same photons, and remote reads are counted by the proxy.
 */
class StorageAxisTest {

  @Test
  void remoteCellsAgreeWithLocalOnes(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx absent: skipped");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/h5repack")), "h5repack absent: skipped");
    Path root = Path.of(System.getProperty("atl03.root", "..")).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(root.resolve("s3server/target/classpath.txt")),
        "s3server not built (mvn package): skipped");
    BenchConfig config = BenchConfig.parse(new ObjectMapper().readTree("""
        {"label": "bench-storage", "granules": {"count": 1, "photons_per_strong_beam": 3000, "seed": 7},
         "master": "local[2]", "repetitions": 1, "drop_caches": false, "queries": ["Q3"],
         "readers": ["atl03", "jhdf", "sedona", "flatgeobuf", "h5py"],
         "formats": ["hdf5", "refs-paged", "geoparquet", "flatgeobuf"],
         "storage": ["local", "s3@5ms", "http"], "bbox_fraction": 0.05, "time_fraction": 0.05,
         "scaling": {"query": "Q2", "granule_counts": [1], "masters": ["local[2]"], "readers": ["atl03"],
                     "formats": ["hdf5"]}}
        """));
    BenchMatrix matrix = new BenchMatrix(root, config, BenchReaders.all(), tmp.resolve("work"), tmp.resolve("results"),
        false, List.of(), new PrintStream(new ByteArrayOutputStream()));
    BenchMatrix.Outcome outcome = matrix.run(new SparkOptions(), List.of());

    assertThat(outcome.results()).filteredOn(r -> r.status() == CellResult.Status.FAILED)
        .extracting(r -> r.cell().id() + ": " + r.reason()).isEmpty();
    assertThat(outcome.agreement().disagreements()).isEmpty();
    for (String id : List.of("Q3 atl03 × hdf5 (s3@5ms)", "Q3 atl03 × refs-paged (s3@5ms)",
        "Q3 jhdf × hdf5 (s3@5ms)", "Q3 sedona × geoparquet (s3@5ms)", "Q3 flatgeobuf × flatgeobuf (s3@5ms)",
        "Q3 atl03 × hdf5 (http)", "Q3 atl03 × refs-paged (http)", "Q3 flatgeobuf × flatgeobuf (http)",
        "Q3 jhdf × hdf5 (http)")) {
      CellResult r = outcome.results().stream().filter(c -> c.cell().id().equals(id)).findFirst().orElseThrow();
      assertThat(r.status()).as(id).isEqualTo(CellResult.Status.OK);
      // counted by the proxy: at least one request and some bytes
      assertThat(r.measured().last().requests()).as(id).isPositive();
      assertThat(r.measured().last().bytesRead()).as(id).isPositive();
      assertThat(r.measured().requestsCounter()).as(id).startsWith("latency proxy");
    }
    CellResult geoHttp = outcome.results().stream()
        .filter(c -> c.cell().id().equals("Q3 sedona × geoparquet (http)")).findFirst().orElseThrow();
    assertThat(geoHttp.status()).isEqualTo(CellResult.Status.NOT_APPLICABLE);
    CellResult h5pyS3 = outcome.results().stream()
        .filter(c -> c.cell().id().equals("Q3 h5py × hdf5 (s3@5ms)")).findFirst().orElseThrow();
    assertThat(h5pyS3.reason()).contains("local files only");
  }
}
