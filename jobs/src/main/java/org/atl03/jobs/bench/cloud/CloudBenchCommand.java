package org.atl03.jobs.bench.cloud;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.kerchunk.RefsWriter;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.datasource.spark.atl03.LocalScan;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.SparkOptions;
import org.atl03.jobs.bench.BenchOptions;
import org.atl03.jobs.bench.Directories;
import org.atl03.jobs.bench.H5pyDatasetRead;
import org.atl03.jobs.bench.Provenance;
import org.atl03.jobs.bench.Timings;
import org.atl03.jobs.convert.H5repackConversion;
import org.atl03.jobs.convert.RefsConversion;
import org.atl03.testing.services.HttpFileServer;
import org.atl03.testing.services.LatencyProxy;
import org.atl03.testing.services.S3Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The cloud benchmark: one beam's h_ph over the network, from the original granule, its paged copy and its kerchunk
 * references, read by our source (s3a: against an S3 API server, http: against a web server) and by h5py + fsspec's
 * HTTP file system with an 8 MiB block cache, with every byte passing a latency proxy of the given RTT. The proxy
 * counts requests and bytes the same way for every reader.
 */
@Command(
    name = "cloud-bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark reading one beam's h_ph over emulated distance (synthetic granule unless --granule is given):",
      "  the granule, its paged copy (h5repack -S PAGE -G 8388608) and its kerchunk refs are served by an S3 API",
      "  server (s3proxy) and a web server (nginx) on loopback, each behind a latency proxy adding --rtt-ms;",
      "  for each RTT: ours (format(\"atl03\"), one column, one beam) on s3a and http for original, paged and refs,",
      "  and h5py + fsspec http (cache_type 'block', 8 MiB blocks) for original and paged, one process per run.",
      "Records time, requests, bytes and connections counted at the proxy, and our planning (metadata) reads.",
      "Writes results.json, results.csv and report.md to RESULTS/<date>-cloud-bench/ and indexes RESULTS/README.md."
    })
public final class CloudBenchCommand implements Callable<Integer> {

  static final String JOB = "cloud-bench";
  static final double TARGET_VS_FSSPEC = 3.0;

  @Option(names = "--rtt-ms", split = ",", defaultValue = "0,20",
      description = "Round-trip times to emulate, in milliseconds (default: ${DEFAULT-VALUE}).")
  List<Integer> rttMs;

  @Option(names = "--beam", defaultValue = "gt1l", description = "The beam whose h_ph is read (default: ${DEFAULT-VALUE}).")
  String beam;

  @Option(names = "--block-size", defaultValue = "8388608",
      description = "fsspec's block size in bytes (default: ${DEFAULT-VALUE}, NSIDC's 8 MiB).")
  int blockSize;

  @Option(names = "--refs-inline-threshold", defaultValue = "100",
      description = "Refs: chunks under this many bytes travel inside the JSON (default: ${DEFAULT-VALUE}, "
          + "kerchunk's), so the granule's scalars need no request.")
  int inlineThreshold;

  @Mixin BenchOptions bench;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand Atl03 atl03;

  /** One reader on one store and layout at one RTT: per-run times and what the proxy and our metrics counted. */
  record Run(String reader, String store, String layout, int rttMs, List<Double> seconds, long photons, double sum,
      List<LatencyProxy.Traffic> traffic, Map<String, Long> metrics) {

    Timings timings() {
      return new Timings(seconds);
    }

    String name() {
      return reader + "/" + store + "/" + layout + "@" + rttMs + "ms";
    }

    /** The proxy's counts of the median run (they hardly vary between runs). */
    LatencyProxy.Traffic medianTraffic() {
      List<LatencyProxy.Traffic> sorted = new ArrayList<>(traffic);
      sorted.sort(Comparator.comparingLong(LatencyProxy.Traffic::requests));
      return sorted.get(sorted.size() / 2);
    }
  }

  @Override
  public Integer call() throws Exception {
    bench.validate(spec);
    if (rttMs.stream().anyMatch(r -> r < 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rtt-ms must be >= 0");
    }
    PrintStream out = System.out;
    Path file = bench.granuleFile(out);
    Path work = bench.work().resolve("cloud-bench").toAbsolutePath();
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    // synthetic granules of every size share one name: the copy is keyed by the file's path, size and time
    String key = Integer.toHexString((file.toAbsolutePath() + ":" + Files.size(file) + ":"
        + Files.getLastModifiedTime(file).toMillis()).hashCode());
    Path pagedCache = work.resolve("paged").resolve(stem + "-" + key + "-paged.h5");
    if (!Files.isRegularFile(pagedCache)) {
      out.printf("== paged copy: h5repack -S PAGE -G 8388608 -> %s%n", pagedCache);
      Files.createDirectories(pagedCache.getParent());
      Directories.delete(pagedCache.resolveSibling(stem + "-paged.h5")); // the copy's name before it had a key
      H5repackConversion.pagedCopy(file, pagedCache);
    }
    Path serve = work.resolve("serve");
    Directories.delete(serve);
    Files.createDirectories(serve);
    Map<String, String> names = new LinkedHashMap<>();
    names.put("original", stem + ".h5");
    names.put("paged", stem + "-paged.h5");
    names.put("refs", stem + ".json");
    link(file, serve.resolve(names.get("original")));
    link(pagedCache, serve.resolve(names.get("paged")));
    RefsConversion.write(serve.resolve(names.get("original")).toUri().toString(),
        serve.resolve(names.get("refs")).toUri().toString(), new Configuration(),
        RefsWriter.Options.DEFAULT.withRelativeUrls(true).withInlineThreshold(inlineThreshold));

    Map<String, Object> granule = new LinkedHashMap<>();
    granule.put("file", file.toString());
    granule.put("generated", bench.generated());
    granule.put("bytes", Files.size(file));
    granule.put("paged_bytes", Files.size(pagedCache));
    granule.put("refs_bytes", Files.size(serve.resolve(names.get("refs"))));
    if (bench.generated()) {
      granule.put("photons_per_strong_beam", bench.photonsPerStrongBeam());
      granule.put("seed", bench.seed());
    }

    String master = spark.masterOr(spec, BenchOptions.DEFAULT_MASTER);
    List<Run> runs = new ArrayList<>();
    Map<String, Object> provenance;
    Directories.delete(work.resolve("s3"));
    try (HttpFileServer web = HttpFileServer.start(serve, work.resolve("nginx"));
        S3Server s3 = S3Server.start(work.resolve("s3"));
        SparkSession session = spark.session("atl03 cloud-bench", master)) {
      out.println("== uploading to the S3 server");
      for (String name : names.values()) {
        s3.upload(serve.resolve(name), name);
      }
      provenance = Provenance.collect(atl03.root(), session.version(), session.sparkContext().master(),
          spec.commandLine().getParseResult().originalArgs());
      Configuration hadoop = session.sparkContext().hadoopConfiguration();
      sparkFloor = sparkFloor(session, out);
      for (int rtt : rttMs) {
        FileSystem.closeAll(); // the s3a client of the previous RTT points at the previous proxy
        try (LatencyProxy webProxy = LatencyProxy.start(web.httpPort(), Duration.ofMillis(rtt));
            LatencyProxy s3Proxy = LatencyProxy.start(s3.port(), Duration.ofMillis(rtt))) {
          s3.configure(hadoop, "http://127.0.0.1:" + s3Proxy.port());
          String webBase = "http://127.0.0.1:" + webProxy.port() + "/";
          for (String layout : names.keySet()) {
            String name = names.get(layout);
            runs.add(ours(session, "s3a", layout, rtt, s3.url(name), s3Proxy, out));
            runs.add(ours(session, "http", layout, rtt, webBase + name, webProxy, out));
            runs.add(reader(hadoop, "s3a", layout, rtt, s3.url(name), s3Proxy, out));
            runs.add(reader(hadoop, "http", layout, rtt, webBase + name, webProxy, out));
            if (!layout.equals("refs")) {
              runs.add(peer(layout, rtt, webBase + name, webProxy, out));
            }
          }
        }
      }
    }
    if (peerVersions != null) {
      provenance.put("peer_versions", new ObjectMapper().convertValue(peerVersions, Map.class));
    }
    CloudBenchReport report = new CloudBenchReport(LocalDate.now(), provenance, granule, options(), runs,
        sparkFloor, TARGET_VS_FSSPEC);
    Path dir = report.write(bench.results());
    report.printSummary(out);
    out.printf("results in %s%n", dir);
    return report.photonCountsAgree() ? 0 : 1;
  }

  private Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("rtt_ms", rttMs);
    o.put("beam", beam);
    o.put("dataset", beam + "/heights/h_ph");
    o.put("fsspec_block_size", blockSize);
    o.put("fsspec_cache_type", H5pyDatasetRead.CACHE_TYPE);
    o.put("refs_inline_threshold", inlineThreshold);
    o.put("warmups", bench.warmups());
    o.put("repetitions", bench.repetitions());
    return o;
  }

  /** Our source: count and sum of h_ph of one beam (the one column read), planning included in the time. */
  private Run ours(SparkSession session, String store, String layout, int rtt, String url, LatencyProxy proxy,
      PrintStream out) throws Exception {
    out.printf("== ours %s %s, RTT %d ms: %s%n", store, layout, rtt, url);
    List<Double> seconds = new ArrayList<>();
    List<LatencyProxy.Traffic> traffic = new ArrayList<>();
    Row row = null;
    Map<String, Long> metrics = null;
    for (int i = 0; i < bench.warmups() + bench.repetitions(); i++) {
      LatencyProxy.Traffic before = proxy.traffic();
      long start = System.nanoTime();
      Dataset<Row> query = session.read().format("atl03").option("beams", beam).load(url)
          .agg(count(lit(1)), sum("h_ph"));
      row = query.collectAsList().get(0);
      double took = (System.nanoTime() - start) / 1e9;
      if (i >= bench.warmups()) {
        seconds.add(took);
        traffic.add(proxy.traffic().minus(before));
        metrics = Atl03ScanMetrics.of(query);
      }
    }
    return new Run("ours", store, layout, rtt, seconds, row.getLong(0), row.isNullAt(1) ? 0 : row.getDouble(1),
        traffic, metrics);
  }

  /**
   * Our reader without Spark: the same planner and partition readers, the partitions on two threads as local[2]
   * runs them, only h_ph read. Its time beside the Spark query's tells our I/O and decoding from Spark's own cost.
   */
  private Run reader(Configuration hadoop, String store, String layout, int rtt, String url, LatencyProxy proxy,
      PrintStream out) throws Exception {
    out.printf("== ours (reader, no Spark) %s %s, RTT %d ms: %s%n", store, layout, rtt, url);
    List<Double> seconds = new ArrayList<>();
    List<LatencyProxy.Traffic> traffic = new ArrayList<>();
    LocalScan.ColumnSum result = null;
    for (int i = 0; i < bench.warmups() + bench.repetitions(); i++) {
      LatencyProxy.Traffic before = proxy.traffic();
      long start = System.nanoTime();
      result = LocalScan.sum(List.of(url), Map.of("beams", beam), "h_ph", hadoop, READER_THREADS);
      double took = (System.nanoTime() - start) / 1e9;
      if (i >= bench.warmups()) {
        seconds.add(took);
        traffic.add(proxy.traffic().minus(before));
      }
    }
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put("planningReadRequests", result.planningRequests());
    return new Run(READER, store, layout, rtt, seconds, result.rows(), result.sum(), traffic, metrics);
  }

  static final String READER = "ours-reader";
  private static final int READER_THREADS = 2;

  /**
   * Spark's own cost of this query's shape (a count and a sum over 2 M rows, two stages) with no I/O at all:
   * {@code spark.range} on the same session. Median of the runs, after the warm-ups.
   */
  private Timings sparkFloor(SparkSession session, PrintStream out) {
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < bench.warmups() + Math.max(5, bench.repetitions()); i++) {
      long start = System.nanoTime();
      session.range(0, 2_000_000, 1, 2).agg(count(lit(1)), sum("id")).collectAsList();
      if (i >= bench.warmups()) {
        seconds.add((System.nanoTime() - start) / 1e9);
      }
    }
    Timings t = new Timings(seconds);
    out.printf(Locale.ROOT, "== Spark's own cost of count + sum over 2 M rows of spark.range: median %.3f s%n",
        t.median());
    return t;
  }

  private Timings sparkFloor;

  /** h5py + fsspec http with a block cache, a fresh python process per run (not timed: the script times itself). */
  private Run peer(String layout, int rtt, String url, LatencyProxy proxy, PrintStream out) throws Exception {
    out.printf("== h5py+fsspec %s, RTT %d ms: %s%n", layout, rtt, url);
    List<Double> seconds = new ArrayList<>();
    List<LatencyProxy.Traffic> traffic = new ArrayList<>();
    JsonNode last = null;
    try (H5pyDatasetRead h5py = new H5pyDatasetRead()) {
      for (int i = 0; i < bench.warmups() + bench.repetitions(); i++) {
        LatencyProxy.Traffic before = proxy.traffic();
        last = h5py.read(url, beam + "/heights/h_ph", blockSize);
        if (i >= bench.warmups()) {
          seconds.add(last.get("seconds").asDouble());
          traffic.add(proxy.traffic().minus(before));
        }
      }
    }
    Map<String, Long> none = new LinkedHashMap<>();
    Run run = new Run("h5py+fsspec", "http", layout, rtt, seconds, last.get("photons").asLong(),
        last.get("sum").asDouble(), traffic, none);
    peerVersions = last.get("versions");
    return run;
  }

  private JsonNode peerVersions;

  private static void link(Path source, Path target) throws java.io.IOException {
    try {
      Files.createLink(target, source);
    } catch (java.io.IOException | UnsupportedOperationException e) {
      Files.copy(source, target); // another file system: a copy serves the same bytes
    }
  }
}
