package org.atl03.jobs.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.datasource.spark.atl03.LocalScan;

/**
 * Corrupt granules beside good ones: mutants of a good granule (seeded, as the fuzz harness makes them) in one
 * directory with the good granules. With onCorruptGranule=skip one Spark query must return exactly the good
 * granules' photons (their checksums unchanged), and report each corrupt one it skipped; with fail, reading each
 * mutant alone must either fail naming it or return the photons the scan returns without error.
 */
public final class CorruptGranules {

  /** How one mutant was handled. */
  public record Granule(String name, String mutation, String failMode, String skipMode) {}

  public record Result(int good, int corrupt, long goodPhotons, boolean goodRowsExact, long skippedGranules,
                       long skippedPartitions, List<Granule> granules, List<String> skippedReasons,
                       Map<String, Integer> outcomes) {}

  private CorruptGranules() {}

  public static Result run(SparkSession spark, List<Path> good, int mutants, long seed, Path dir,
                           Consumer<String> log) throws Exception {
    Files.createDirectories(dir);
    Configuration conf = new Configuration();
    List<String> paths = new ArrayList<>();
    for (Path g : good) {
      Path copy = dir.resolve(g.getFileName());
      Files.copy(g, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      paths.add(copy.toString());
    }
    LocalScan.Result expected = LocalScan.run(List.copyOf(paths), Map.of(), conf);
    Hdf5Target source = new Hdf5Target(good.get(0), dir.resolveSibling(dir.getFileName() + "-baseline"), conf);
    List<Granule> granules = new ArrayList<>();
    Map<String, String> mutations = new LinkedHashMap<>();
    for (int i = 0; i < mutants; i++) {
      Mutation m = source.mutate(new Random(seed * 7_919 + i));
      String name = "ATL03_corrupt_" + String.format("%03d", i) + ".h5";
      Files.write(dir.resolve(name), m.result());
      mutations.put(name, m.description());
    }
    // fail mode, one mutant at a time: an error naming the file, or a read without error
    Map<String, String> failModes = new LinkedHashMap<>();
    for (String name : mutations.keySet()) {
      String outcome;
      try {
        LocalScan.Result r = LocalScan.run(List.of(dir.resolve(name).toString()), Map.of(), conf);
        outcome = "read without error: " + r.totalRows() + " photons";
      } catch (Exception e) {
        if (!String.valueOf(e.getMessage()).contains(name)) {
          throw new IllegalStateException(name + " (" + mutations.get(name) + "): fail mode's error does not name "
              + "the file: " + e, e);
        }
        outcome = "failed naming it";
      }
      failModes.put(name, outcome);
    }
    // skip mode, all at once through Spark
    Dataset<Row> perGranule = spark.read().format("atl03").option("onCorruptGranule", "skip")
        .load(dir.toString()).groupBy("granule").agg(
            org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
            org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.xxhash64(
                org.apache.spark.sql.functions.col("beam"), org.apache.spark.sql.functions.col("photon_index"),
                org.apache.spark.sql.functions.col("h_ph"), org.apache.spark.sql.functions.col("lat_ph"),
                org.apache.spark.sql.functions.col("lon_ph"), org.apache.spark.sql.functions.col("delta_time"))
                .cast("decimal(38,0)")));
    Map<String, long[]> rows = new LinkedHashMap<>();
    Map<String, java.math.BigDecimal> sums = new LinkedHashMap<>();
    for (Row r : perGranule.collectAsList()) {
      rows.put(r.getString(0), new long[] {r.getLong(1)});
      sums.put(r.getString(0), r.getDecimal(2));
    }
    Map<String, Long> metrics = Atl03ScanMetrics.of(perGranule);
    List<String> skipped = Atl03ScanMetrics.skipped(perGranule);
    // the good granules: exactly their photons, and the same values as read alone
    boolean exact = true;
    long goodPhotons = 0;
    Dataset<Row> alone = spark.read().format("atl03").load(paths.toArray(new String[0])).groupBy("granule").agg(
        org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
        org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.xxhash64(
            org.apache.spark.sql.functions.col("beam"), org.apache.spark.sql.functions.col("photon_index"),
            org.apache.spark.sql.functions.col("h_ph"), org.apache.spark.sql.functions.col("lat_ph"),
            org.apache.spark.sql.functions.col("lon_ph"), org.apache.spark.sql.functions.col("delta_time"))
            .cast("decimal(38,0)")));
    for (Row r : alone.collectAsList()) {
      goodPhotons += r.getLong(1);
      long[] n = rows.get(r.getString(0));
      exact &= n != null && n[0] == r.getLong(1) && sums.get(r.getString(0)).equals(r.getDecimal(2));
    }
    exact &= goodPhotons == expected.totalRows();
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : mutations.entrySet()) {
      String name = e.getKey();
      boolean listed = skipped.stream().anyMatch(s -> s.contains(name));
      long[] n = rows.get(name);
      String skipMode = listed && n == null ? "skipped while planning"
          : listed ? "partition cut short: " + n[0] + " photons returned"
          : n == null ? "no photons, not listed"
          : n[0] == rows.get(good.get(0).getFileName().toString())[0]
              && sums.get(name).equals(sums.get(good.get(0).getFileName().toString()))
              ? "read whole, identical photons" : "read whole, values differ (chunk bytes without checksum)";
      outcomes.merge(skipMode.replaceAll(": \\d+ photons returned", ""), 1, Integer::sum);
      granules.add(new Granule(name, e.getValue(), failModes.get(name), skipMode));
      log.accept(name + " (" + e.getValue() + "): fail mode " + failModes.get(name) + "; skip mode " + skipMode);
      if (skipMode.equals("no photons, not listed")) {
        throw new IllegalStateException(name + ": skip mode returned none of its photons and did not list it");
      }
    }
    return new Result(good.size(), mutants, goodPhotons, exact, metrics.getOrDefault("corruptGranulesSkipped", 0L),
        metrics.getOrDefault("corruptPartitionsSkipped", 0L), granules, skipped, outcomes);
  }
}
