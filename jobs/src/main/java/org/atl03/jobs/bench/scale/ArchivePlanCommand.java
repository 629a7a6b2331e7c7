package org.atl03.jobs.bench.scale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.SparkOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Plans one query against a catalog, as the driver of a user's query would, in a JVM whose heap the caller sets
 * (scale-bench runs it with 1 GB against the synthetic archive): the first planning (the catalog's Delta log read
 * cold) and the repetitions after it, the partitions planned, the catalog files and bytes read, the heap's peak.
 * The query is not run: the archive's granules do not exist. Not a user command: hidden from the help.
 */
@Command(name = "archive-plan", hidden = true, mixinStandardHelpOptions = true,
    description = "Plans a bbox and time query against --catalog; writes --json.")
public final class ArchivePlanCommand implements Callable<Integer> {

  @Option(names = "--catalog", required = true)
  String catalog;

  @Option(names = "--allowed-prefixes", required = true)
  String allowed;

  @Option(names = "--box", required = true, split = ",", description = "south,north,west,east")
  List<Double> box;

  @Option(names = "--from", required = true, description = "First instant, e.g. 2021-06-01T00:00:00Z.")
  String from;

  @Option(names = "--to", required = true, description = "Instant after the last.")
  String to;

  @Option(names = "--repetitions", defaultValue = "3")
  int repetitions;

  @Option(names = "--json", required = true)
  Path json;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<Double> seconds = new ArrayList<>();
    Map<String, Long> metrics = Map.of();
    int partitions = 0;
    try (SparkSession session = spark.session("atl03 archive-plan", spark.masterOr(spec, "local[2]"))) {
      // a started session, as a user's is before their query: Spark's own first job (class loading, code
      // generation) not counted as planning; nothing of Delta or the catalog is touched
      session.range(1000).selectExpr("sum(id)").collectAsList();
      for (int i = 0; i < 1 + repetitions; i++) {
        long started = System.nanoTime();
        Dataset<Row> q = session.read().format("atl03").option("catalog", catalog)
            .option("allowedPrefixes", allowed).load()
            .where(col("lat_ph").between(box.get(0), box.get(1)).and(col("lon_ph").between(box.get(2), box.get(3)))
                .and(col("time").geq(lit(Timestamp.from(java.time.Instant.parse(from)))))
                .and(col("time").lt(lit(Timestamp.from(java.time.Instant.parse(to))))))
            .agg(count(lit(1)));
        BatchScanExec scan = Atl03ScanMetrics.scan(q);
        Scan s = scan.scan();
        partitions = s.toBatch().planInputPartitions().length;
        seconds.add((System.nanoTime() - started) / 1e9);
        metrics = new HashMap<>();
        for (CustomTaskMetric m : s.reportDriverMetrics()) {
          metrics.put(m.name(), m.value());
        }
      }
    }
    System.gc();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("peak_heap_bytes", peak);
    m.put("first_seconds", seconds.get(0));
    m.put("seconds", seconds.subList(1, seconds.size()));
    m.put("partitions", partitions);
    m.put("metrics", metrics);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), m);
    System.out.printf("archive-plan: first %.2f s, then %s s; %d partitions; metrics %s; heap peak %d MB of %d MB%n",
        seconds.get(0), seconds.subList(1, seconds.size()), partitions, metrics, peak >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    return 0;
  }
}
