package org.atl03.jobs.bench.scale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.atl03.catalog.IndexedWindow;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.datasource.spark.catalog.CatalogTable;
import org.atl03.jobs.bench.Directories;
import org.atl03.jobs.bench.Timings;
import org.atl03.jobs.reliability.ChildJvm;

/**
 * Planning a 1 % bbox + 1 month query against the synthetic archive's catalog ({@link ArchiveCatalog}) in a JVM of
 * 1 GB heap, its Delta log as the writer leaves it (the commit and its checkpoint): the first planning from a cold
 * start, then repetitions.
 */
record ArchiveRun(int granules, long windows, long catalogFiles, long catalogBytes, Map<String, Object> query,
    long filesWithMatchingWindow, long matchingWindows, Planned planned) {

  /** The planning child: its first (cold) planning and the repetitions after it. */
  record Planned(double firstSeconds, Timings seconds, int partitions, long filesRead, long bytesRead,
      long peakHeapBytes, long maxHeapBytes) {}

  static final String HEAP = "1g";
  private static final long TIMEOUT_MINUTES = 30;

  static ArchiveRun measure(SparkSession spark, Path work, ArchiveCatalog.Spec spec, Path templateGranule,
      int repetitions, PrintStream out) throws IOException, InterruptedException {
    IndexedWindow template = template(spark, work, templateGranule, spec.windowPhotons());
    Path catalog = ArchiveCatalog.obtain(spark, work, spec, template, out);
    Path dir = catalog.getParent();
    ArchiveCatalog.Query q = ArchiveCatalog.query(spec);
    Dataset<Row> table = spark.read().format("delta").load(catalog.toString());
    long files = table.inputFiles().length;
    long bytes = Directories.bytes(catalog);
    Dataset<Row> matching = table.where(col("kind").equalTo(CatalogTable.WINDOW)
        .and(col("lat_max").geq(q.south())).and(col("lat_min").leq(q.north()))
        .and(col("lon_max").geq(q.west())).and(col("lon_min").leq(q.east()))
        .and(col("time_max").geq(Timestamp.from(q.from()))).and(col("time_min").lt(Timestamp.from(q.to()))))
        .select(input_file_name().as("file")).cache();
    long matchingWindows = matching.count();
    long matchingFiles = matching.distinct().count();
    matching.unpersist();
    long windows = table.where(col("kind").equalTo(CatalogTable.WINDOW)).count();
    out.printf("== archive: %,d granules, %,d windows in %,d files (%.1f GB); %d windows in %d catalog file(s) "
        + "overlap the query%n", spec.granules(), windows, files, bytes / 1e9, matchingWindows,
        matchingFiles);

    Planned planned = plan(catalog, q, dir.resolve("plan.json"), repetitions, out);
    return new ArchiveRun(spec.granules(), windows, files, bytes, q.describe(), matchingFiles, matchingWindows,
        planned);
  }

  /** A full window of a strong beam of {@code granule}, indexed (once per catalog layout) under {@code work}. */
  private static IndexedWindow template(SparkSession spark, Path work, Path granule, long windowPhotons)
      throws IOException {
    Path catalog = work.resolve("archive-template-layout" + CatalogTable.VERSION);
    if (!Files.exists(catalog.resolve("_delta_log"))) {
      CatalogIndexer.index(spark, List.of(granule.toUri().toString()), catalog.toString(),
          CatalogIndexer.Options.DEFAULT, spark.sessionState().newHadoopConf());
    }
    List<Row> rows = spark.read().format("delta").load(catalog.toString())
        .where(col("kind").equalTo(CatalogTable.WINDOW).and(col("beam_strength").equalTo("strong"))
            .and(col("photons").equalTo(windowPhotons)))
        .limit(1).collectAsList();
    if (rows.isEmpty()) {
      throw new IOException(granule + " has no strong-beam window of " + windowPhotons + " photons to copy");
    }
    return CatalogTable.window(rows.get(0));
  }

  private static Planned plan(Path catalog, ArchiveCatalog.Query q, Path json, int repetitions,
      PrintStream out) throws IOException, InterruptedException {
    Path logFile = json.resolveSibling(json.getFileName().toString().replace(".json", ".log"));
    Files.deleteIfExists(logFile);
    Process p = ChildJvm.atl03(HEAP, List.of("archive-plan", "--catalog", catalog.toString(),
        "--allowed-prefixes", ArchiveCatalog.ARCHIVE, "--box", q.south() + "," + q.north() + "," + q.west() + ","
            + q.east(), "--from", q.from().toString(), "--to", q.to().toString(), "--repetitions",
        String.valueOf(repetitions), "--json", json.toString()), logFile.toFile());
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      ChildJvm.kill(p);
      throw new IOException("archive-plan did not finish in " + TIMEOUT_MINUTES + " min: see " + logFile);
    }
    if (p.exitValue() != 0) {
      throw new IOException("archive-plan exited " + p.exitValue() + ": see " + logFile);
    }
    JsonNode r = new ObjectMapper().readTree(json.toFile());
    List<Double> seconds = new ArrayList<>();
    r.get("seconds").forEach(n -> seconds.add(n.asDouble()));
    Planned planned = new Planned(r.get("first_seconds").asDouble(), new Timings(seconds),
        r.get("partitions").asInt(), r.get("metrics").path("catalogFilesRead").asLong(),
        r.get("metrics").path("catalogBytesRead").asLong(), r.get("peak_heap_bytes").asLong(),
        r.get("max_heap_bytes").asLong());
    out.printf("   planned in %.2f s cold, %.2f s after (median); %d partitions, %d catalog files (%.1f MB) read, "
        + "heap peak %d MB of %d MB%n", planned.firstSeconds(), planned.seconds().median(),
        planned.partitions(), planned.filesRead(), planned.bytesRead() / 1e6, planned.peakHeapBytes() >> 20,
        planned.maxHeapBytes() >> 20);
    return planned;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("granules", granules);
    m.put("windows", windows);
    m.put("catalog_files", catalogFiles);
    m.put("catalog_bytes", catalogBytes);
    m.put("query", query);
    m.put("files_with_a_matching_window", filesWithMatchingWindow);
    m.put("matching_windows", matchingWindows);
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("first_seconds", planned.firstSeconds());
    x.put("seconds", planned.seconds().seconds());
    x.put("median_seconds", planned.seconds().median());
    x.put("partitions", planned.partitions());
    x.put("catalog_files_read", planned.filesRead());
    x.put("catalog_bytes_read", planned.bytesRead());
    x.put("peak_heap_bytes", planned.peakHeapBytes());
    x.put("max_heap_bytes", planned.maxHeapBytes());
    m.put("planning", x);
    return m;
  }
}
