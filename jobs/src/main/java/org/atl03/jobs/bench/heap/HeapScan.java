package org.atl03.jobs.bench.heap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.bench.HeapPeak;

/**
 * The heap-bench's child JVM: full scans of a granule (count and sums of the five scanned columns of every beam,
 * so every column is decoded) on local Spark, then one line of JSON on stdout: photons, seconds, the heap's peak and
 * maximum, and the garbage collectors' work. Run by {@link HeapBenchCommand} with the heap under test.
 */
public final class HeapScan {

  /** The first run pays for the JVM's warm-up (JIT), the second shows the steady state. */
  static final int RUNS = 2;

  private HeapScan() {}

  public static void main(String[] args) throws Exception {
    Path granule = Path.of(args[0]);
    String master = args[1];
    SparkSession session = SparkSession.builder().appName("atl03 heap-bench").master(master)
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      HeapPeak heap = HeapPeak.watch();
      long gcCount = gcCount();
      long gcMillis = gcMillis();
      List<Double> seconds = new ArrayList<>();
      Row row = null;
      for (int run = 0; run < RUNS; run++) {
        long start = System.nanoTime();
        row = session.read().format("atl03").load(granule.toAbsolutePath().toUri().toString())
            .agg(count(lit(1)), sum("lat_ph"), sum("lon_ph"), sum("h_ph"), sum("delta_time"),
                sum(col("signal_conf_ph").getItem(0)))
            .first();
        seconds.add((System.nanoTime() - start) / 1e9);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("photons", row.getLong(0));
      out.put("seconds", seconds);
      out.put("h_ph_sum", row.getDouble(3));
      heap.close();
      out.put("peak_heap_bytes", heap.peakBytes());
      out.put("live_heap_bytes", heap.liveBytes());
      out.put("max_heap_bytes", HeapPeak.maxHeapBytes());
      out.put("gc_count", gcCount() - gcCount);
      out.put("gc_seconds", (gcMillis() - gcMillis) / 1e3);
      System.out.println(new ObjectMapper().writeValueAsString(out));
    } finally {
      session.stop();
    }
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .sum();
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }
}
