package org.atl03.jobs.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atl03.jobs.bench.Timings;

/**
 * The full scan of a set of granules on the loopback standalone cluster with 1 executor and with 2 (one core each,
 * one per worker), measured by {@code bin/standalone-cluster --scaling} in a process of its own.
 *
 * @param granules the set's size
 * @param photonsPerStrongBeam the size of each of its granules
 * @param one seconds per timed run on 1 executor
 * @param two … on 2
 * @param loadOne mean of the 1-minute load average sampled while the 1-executor runs were timed
 * @param loadTwo … the 2-executor runs
 * @param spentOne where the 1-executor runs' time went (medians over the timed runs)
 * @param spentTwo … the 2-executor runs'
 */
record ExecutorScaling(int granules, long photonsPerStrongBeam, long photons, int partitions, Timings one, Timings two,
    double loadOne, double loadTwo, Spent spentOne, Spent spentTwo) {

  /**
   * Where a run's time went, in seconds (see {@code ScalingScanCommand.TaskTimes}).
   *
   * @param driverAlone from the query's start until its first task started: planning and scheduling
   * @param tasksRunning from the first task's start to the last one's end
   * @param taskRun the tasks' summed run time
   * @param taskCpu the tasks' summed CPU time; below {@code taskRun} they waited (for a core, or a read)
   */
  record Spent(double driverAlone, double tasksRunning, double taskRun, double taskCpu) {

    static Spent median(JsonNode breakdowns) {
      return new Spent(median(breakdowns, "driver_before_first_task_s"), median(breakdowns, "tasks_running_s"),
          median(breakdowns, "task_run_s"), median(breakdowns, "task_cpu_s"));
    }

    private static double median(JsonNode breakdowns, String field) {
      List<Double> v = new ArrayList<>();
      breakdowns.forEach(b -> v.add(b.get(field).asDouble()));
      return v.isEmpty() ? Double.NaN : new Timings(v).median();
    }
  }

  private static final long TIMEOUT_MINUTES = 90;

  double speedup() {
    return one.median() / two.median();
  }

  /** Photons per second on {@code executors} (1 or 2), median run. */
  double photonsPerSecond(int executors) {
    return photons / (executors == 1 ? one : two).median();
  }

  static ExecutorScaling measure(Path root, List<Path> set, long photonsPerStrongBeam, Path out, int warmups,
      int repetitions, PrintStream log) throws IOException, InterruptedException {
    Files.createDirectories(out);
    Path list = out.resolve("granules.txt");
    Files.write(list, set.stream().map(p -> p.toUri().toString()).toList());
    Path report = out.resolve("cluster");
    Path logFile = out.resolve("standalone-cluster.log");
    log.printf("== executor scaling: %d granules on the standalone cluster, 1 then 2 executors (log %s)%n",
        set.size(), logFile);
    Process p = new ProcessBuilder(root.resolve("bin/standalone-cluster").toString(), "--scaling", list.toString(),
        "--out", report.toString(), "--warmups", String.valueOf(warmups), "--repetitions",
        String.valueOf(repetitions)).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(logFile.toFile()).start();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      throw new IOException("bin/standalone-cluster --scaling did not finish in " + TIMEOUT_MINUTES + " min: see "
          + logFile);
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(logFile);
      throw new IOException("bin/standalone-cluster --scaling exited " + p.exitValue() + ": "
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())) + "\n(see " + logFile + ")");
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode one = json.readTree(report.resolve("scaling-1.json").toFile());
    JsonNode two = json.readTree(report.resolve("scaling-2.json").toFile());
    ExecutorScaling s = new ExecutorScaling(set.size(), photonsPerStrongBeam, one.get("photons").asLong(),
        one.get("partitions").asInt(), seconds(one), seconds(two), meanLoad(one), meanLoad(two),
        Spent.median(one.get("breakdown")), Spent.median(two.get("breakdown")));
    log.printf("   1 executor %.2f s, 2 executors %.2f s: %.2f× (load %.2f, %.2f)%n", s.one().median(),
        s.two().median(), s.speedup(), s.loadOne(), s.loadTwo());
    return s;
  }

  private static Timings seconds(JsonNode run) {
    List<Double> s = new ArrayList<>();
    run.get("seconds").forEach(n -> s.add(n.asDouble()));
    return new Timings(s);
  }

  private static double meanLoad(JsonNode run) {
    double sum = 0;
    int n = 0;
    for (JsonNode v : run.get("load_average_1m_samples")) {
      sum += v.asDouble();
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
