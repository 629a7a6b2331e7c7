package org.atl03.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atl03.jobs.bench.Directories;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.Test;

/**
 * bin/standalone-cluster end to end: a Master and two Workers on loopback, spark-submit of the EMR jar scanning
 * granules through s3a from the loopback S3 server, executors in JVMs of their own, the scan equal to a local[2] run
 * from disk. The script's own checks fail it too (exit 1); this test reads
 * what it reports. On a clean machine Maven first fetches Spark's jars into target/standalone-cluster/spark-home.
 */
class StandaloneClusterIT {

  private static final Pattern TOTAL = Pattern.compile("^total: (\\d+) photons in (\\d+) beams of (\\d+) granule",
      Pattern.MULTILINE);

  @Test
  void scansOnTwoExecutorJvmsAndMatchesLocal() throws Exception {
    Path out = Script.root().resolve("jobs/target/standalone-cluster-it");
    Script.Result r = Script.run(Duration.ofMinutes(20), Map.of(), out.resolveSibling("standalone-cluster-it-logs"),
        "bin/standalone-cluster", "--out", out.toString(), "--granules", "3");
    assertThat(r.exitCode()).as(r.describe()).isZero();

    Matcher cluster = TOTAL.matcher(Files.readString(out.resolve("cluster-scan.txt")));
    Matcher local = TOTAL.matcher(Files.readString(out.resolve("local-scan.txt")));
    assertThat(cluster.find()).as("a total line in cluster-scan.txt").isTrue();
    assertThat(local.find()).as("a total line in local-scan.txt").isTrue();
    assertThat(Long.parseLong(cluster.group(1))).isPositive().isEqualTo(Long.parseLong(local.group(1)));
    assertThat(cluster.group(3)).isEqualTo("3");
    // 3 granules x 6 beams, every beam with photons
    assertThat(cluster.group(2)).isEqualTo("18");

    List<String> executors = Files.readAllLines(out.resolve("executors.txt"));
    assertThat(executors).hasSize(2);
    assertThat(executors).anyMatch(l -> l.startsWith("worker-1 ")).anyMatch(l -> l.startsWith("worker-2 "));
    List<String> pids = executors.stream().map(l -> l.replaceAll(".*pid (\\d+),.*", "$1")).distinct().toList();
    assertThat(pids).hasSize(2).allMatch(p -> p.matches("\\d+"));
    assertThat(executors).allMatch(l -> !l.endsWith(", 0 tasks"));

    JsonNode timings = new ObjectMapper().readTree(out.resolve("timings.json").toFile());
    double job = timings.get("job_finished_s").asDouble();
    assertThat(job).isPositive().isGreaterThan(timings.get("master_up_s").asDouble());
    // the cluster read the granules through s3a from the loopback S3 server; the reference read them from disk
    assertThat(Files.readString(out.resolve("report.md"))).contains("| spark-submit finished (job done) | ")
        .containsPattern("read from s3a://atl03-\\d+/granules/ \\(the project's loopback S3 server");
    assertThat(Files.readString(out.resolve("logs/loopback-s3.log"))).contains("holds 3 granule(s)");
    // every JVM it started is gone: none still runs from this tree's SPARK_HOME (the S3 server's too: its JVM runs
    // LoopbackS3 on the same class path)
    String sparkHome = Script.root().resolve("target/standalone-cluster/spark-home").toString();
    String runs = Script.root().resolve("target/standalone-cluster/run-").toString();
    assertThat(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(sparkHome + "/jars") || c.contains(runs))
            .orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList()).isEmpty();
  }

  @Test
  void scalingRunsTheSameScanOnOneThenTwoExecutors() throws Exception {
    Path out = Script.root().resolve("jobs/target/standalone-cluster-scaling-it");
    Path granules = out.resolveSibling("standalone-cluster-scaling-it-granules");
    Directories.delete(granules);
    Generator.generate(new GeneratorOptions(granules, 3, 20_000, 7, Layout.V006));
    Path list = Files.write(granules.resolve("list.txt"), Files.list(granules)
        .filter(p -> p.toString().endsWith(".h5")).map(p -> p.toUri().toString()).sorted().toList());
    Script.Result r = Script.run(Duration.ofMinutes(20), Map.of(),
        out.resolveSibling("standalone-cluster-scaling-logs"), "bin/standalone-cluster", "--scaling", list.toString(),
        "--out", out.toString(), "--repetitions", "2");
    assertThat(r.exitCode()).as(r.describe()).isZero();

    ObjectMapper json = new ObjectMapper();
    JsonNode one = json.readTree(out.resolve("scaling-1.json").toFile());
    JsonNode two = json.readTree(out.resolve("scaling-2.json").toFile());
    assertThat(one.get("executors").asInt()).isEqualTo(1);
    assertThat(two.get("executors").asInt()).isEqualTo(2);
    for (JsonNode run : List.of(one, two)) {
      assertThat(run.get("granules").asInt()).isEqualTo(3);
      assertThat(run.get("photons").asLong()).isEqualTo(3 * (3 * 20_000 + 3 * 5_000)); // strong and weak beams
      assertThat(run.get("seconds")).hasSize(2);
      assertThat(run.get("load_average_1m_samples").size()).isPositive();
      assertThat(run.get("breakdown")).hasSize(2);
      for (JsonNode b : run.get("breakdown")) { // each run's own tasks: every one started and ended inside it
        assertThat(b.get("tasks").asInt()).isGreaterThan(run.get("partitions").asInt());
        assertThat(b.get("task_cpu_s").asDouble()).isPositive();
        for (String span : List.of("driver_before_first_task_s", "tasks_running_s", "driver_after_last_task_s")) {
          assertThat(b.get(span).asDouble()).as(span).isGreaterThanOrEqualTo(0);
        }
      }
    }
    // the same rows on both: the hash sums are exact
    assertThat(two.get("row_hash_sum").asLong()).isEqualTo(one.get("row_hash_sum").asLong()).isNotZero();
    assertThat(Files.readString(out.resolve("report.md"))).contains("1 → 2 executors: ")
        .contains("Both runs read the same photons and rows");
  }
}
