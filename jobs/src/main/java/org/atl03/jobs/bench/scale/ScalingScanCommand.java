package org.atl03.jobs.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.SparkOptions;
import org.atl03.jobs.bench.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One side of the executor-scaling measurement, run by {@code bin/standalone-cluster --scaling} under spark-submit
 * once per executor count: the full scan of the listed granules (every column decoded, see {@link #query}), warm-ups
 * first so the executors' start and JIT are not timed, then timed repetitions with the load average sampled every
 * second while they run. Writes what it measured as JSON. Not a user command: hidden from the help.
 */
@Command(name = "scaling-scan", hidden = true, mixinStandardHelpOptions = true,
    description = "Times full scans of the granules listed in --list (one URI per line); writes --json.")
public final class ScalingScanCommand implements Callable<Integer> {

  @Option(names = "--list", required = true, description = "A file of granule URIs, one per line.")
  Path list;

  @Option(names = "--json", required = true, description = "Where the measurement goes.")
  Path json;

  @Option(names = "--warmups", defaultValue = "1")
  int warmups;

  @Option(names = "--repetitions", defaultValue = "3")
  int repetitions;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws Exception {
    List<String> granules = Files.readAllLines(list).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    try (SparkSession session = spark.session("atl03 scaling-scan")) {
      int executors = session.sparkContext().statusTracker().getExecutorInfos().length - 1; // less the driver's
      List<Double> seconds = new ArrayList<>();
      List<Double> load = new ArrayList<>();
      long photons = 0;
      double hSum = 0;
      long rowHash = 0;
      int partitions = 0;
      List<Map<String, Object>> breakdowns = new ArrayList<>();
      TaskTimes tasks = new TaskTimes(session.sparkContext());
      session.sparkContext().addSparkListener(tasks);
      try (LoadSampler sampler = new LoadSampler()) {
        for (int i = 0; i < warmups + repetitions; i++) {
          if (i == warmups) {
            sampler.start();
          }
          tasks.reset();
          long startedMillis = System.currentTimeMillis();
          long started = System.nanoTime();
          Dataset<Row> q = query(session, granules);
          Row row = q.collectAsList().get(0);
          double s = (System.nanoTime() - started) / 1e9;
          if (i >= warmups) {
            seconds.add(s);
            breakdowns.add(tasks.breakdown(startedMillis, startedMillis + Math.round(s * 1000)));
            photons = row.getLong(0);
            hSum = row.getDouble(1);
            rowHash = row.getLong(2);
            partitions = Atl03ScanMetrics.scan(q).inputRDD().getNumPartitions();
          }
        }
        load.addAll(sampler.samples());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("master", session.sparkContext().master());
      m.put("executors", executors);
      m.put("cores_max", session.sparkContext().getConf().get("spark.cores.max", ""));
      m.put("granules", granules.size());
      m.put("partitions", partitions);
      m.put("photons", photons);
      m.put("h_ph_sum", hSum);
      m.put("row_hash_sum", rowHash);
      m.put("seconds", seconds);
      m.put("breakdown", breakdowns);
      m.put("load_average_1m_samples", load);
      m.put("load_average_after", Provenance.loadAverage());
      Files.createDirectories(json.toAbsolutePath().getParent());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), m);
      breakdowns.forEach(b -> System.out.println("scaling-scan breakdown: " + b));
      System.out.printf("scaling-scan: %d executor(s), %d granules, %d partitions, %d photons, h_ph sum %.6e, "
          + "row hash sum %d, seconds %s%n", executors, granules.size(), partitions, photons, hSum, rowHash, seconds);
    }
    return 0;
  }

  /**
   * Every column of the default schema decoded: the count, the sum of h_ph and the sum of a 64-bit hash of each whole
   * row (wrapping long addition: exact in any order, so runs on 1 and 2 executors must agree to the bit).
   */
  static Dataset<Row> query(SparkSession session, List<String> granules) {
    Dataset<Row> photons = session.read().format("atl03").load(granules.toArray(String[]::new));
    Column[] all = java.util.Arrays.stream(photons.columns()).map(functions::col).toArray(Column[]::new);
    return photons.agg(functions.count(functions.lit(1)), functions.sum("h_ph"),
        functions.sum(functions.xxhash64(all)));
  }

  /**
   * Where a timed run's wall time went, from the scheduler's events (the listener bus delivers them late, so a
   * breakdown is taken once the run's result is in): the driver alone before its first task started, tasks running
   * until the last ended, the driver alone after; and the tasks' summed run, CPU, GC and deserialization times.
   */
  static final class TaskTimes extends SparkListener {
    /** What a breakdown needs of one ended task: its span on the driver's clock, its run, CPU, GC, deserialize. */
    private record Ended(long launch, long finish, long runMillis, long cpuNanos, long gcMillis,
        long deserializeMillis) {}

    private final List<Ended> ended = java.util.Collections.synchronizedList(new ArrayList<>());
    private final org.apache.spark.SparkContext context;

    TaskTimes(org.apache.spark.SparkContext context) {
      this.context = context;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      TaskMetrics m = end.taskMetrics();
      if (m != null) {
        ended.add(new Ended(end.taskInfo().launchTime(), end.taskInfo().finishTime(), m.executorRunTime(),
            m.executorCpuTime(), m.jvmGCTime(), m.executorDeserializeTime()));
      }
    }

    void reset() {
      ended.clear();
    }

    Map<String, Object> breakdown(long startedMillis, long endedMillis) {
      try {
        context.listenerBus().waitUntilEmpty(60_000); // the run's task ends delivered
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("Spark's listener bus did not empty in 60 s", e);
      }
      List<Ended> tasks;
      synchronized (ended) {
        tasks = List.copyOf(ended);
      }
      long firstLaunch = tasks.stream().mapToLong(Ended::launch).min().orElse(Long.MAX_VALUE);
      long lastFinish = tasks.stream().mapToLong(Ended::finish).max().orElse(0);
      long run = tasks.stream().mapToLong(Ended::runMillis).sum();
      long cpuNanos = tasks.stream().mapToLong(Ended::cpuNanos).sum();
      long gc = tasks.stream().mapToLong(Ended::gcMillis).sum();
      long deserialize = tasks.stream().mapToLong(Ended::deserializeMillis).sum();
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("tasks", tasks.size());
      b.put("driver_before_first_task_s", (firstLaunch - startedMillis) / 1e3);
      b.put("tasks_running_s", (lastFinish - firstLaunch) / 1e3);
      b.put("driver_after_last_task_s", (endedMillis - lastFinish) / 1e3);
      b.put("task_run_s", run / 1e3);
      b.put("task_cpu_s", cpuNanos / 1e9);
      b.put("task_gc_s", gc / 1e3);
      b.put("task_deserialize_s", deserialize / 1e3);
      return b;
    }
  }

  /** The 1-minute load average read once a second on a daemon thread, from {@link #start} until closed. */
  static final class LoadSampler implements AutoCloseable {
    private final List<Double> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    private Thread thread;

    void start() {
      thread = new Thread(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            String load = Provenance.loadAverage();
            if (load != null) {
              samples.add(Double.parseDouble(load.split(" ")[0]));
            }
            Thread.sleep(1000);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    List<Double> samples() {
      synchronized (samples) {
        return List.copyOf(samples);
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (thread != null) {
        thread.interrupt();
        thread.join();
      }
    }
  }
}
