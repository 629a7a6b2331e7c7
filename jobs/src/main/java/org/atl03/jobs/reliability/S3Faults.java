package org.atl03.jobs.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.convert.ConvertCommand;
import org.atl03.jobs.convert.ConvertSettings;
import org.atl03.jobs.verify.PhotonChecksums;
import org.atl03.testing.services.FaultProxy;
import org.atl03.testing.services.S3Server;

/**
 * Scans and conversions over s3a through a {@link FaultProxy} in front of an {@link S3Server}: each input's rows
 * and checksums with faults must equal those read from {@code file:}, each conversion's output must be
 * byte-identical to the fault-free one, and with every request failing the scan must fail, naming the file, within
 * the retry bounds. The session's s3a client for the server's bucket is pointed at the proxy (and cached by
 * Hadoop for the JVM), so every s3a request of the run crosses it.
 */
public final class S3Faults {

  /** s3a's file-system statistics reported (hadoop-aws 3.3.4 names). */
  static final List<String> S3A_COUNTERS = List.of("action_http_get_request", "action_http_head_request",
      "store_io_request", "store_io_retry", "store_io_throttled", "stream_read_exceptions");

  /** One input scanned through faults. */
  public record ScanResult(String input, long photons, boolean identical, long storeRetriesMetric, long millis) {}

  /** One conversion run fault-free, then through faults: outputs compared file by file (SHA-256). */
  public record ConversionResult(String target, String input, int files, boolean identical, long millis) {}

  /**
   * The scan with every request failing, with onCorruptGranule=fail and again with skip (an outage is no corrupt
   * granule: it must fail too, not drop the granule's rows).
   */
  public record FailFast(String rates, boolean failed, boolean namesFile, long millis, String error,
                         boolean failedUnderSkip, long skipMillis) {}

  public record Result(long seed, String rates, List<ScanResult> scans, List<ConversionResult> conversions,
                       FaultProxy.Counts faults, Map<String, Long> s3aCounters, FailFast failFast) {
    public boolean ok() {
      return scans.stream().allMatch(ScanResult::identical) && conversions.stream().allMatch(ConversionResult::identical)
          && failFast.failed() && failFast.namesFile() && failFast.failedUnderSkip();
    }
  }

  private final SparkSession spark;
  private final S3Server s3;
  private final FaultProxy proxy;
  private final Consumer<String> log;

  /** Points {@code spark}'s s3a client for {@code s3}'s bucket at {@code proxy}. */
  public S3Faults(SparkSession spark, S3Server s3, FaultProxy proxy, Consumer<String> log) {
    this.spark = spark;
    this.s3 = s3;
    this.proxy = proxy;
    this.log = log;
    s3.configure(spark.sparkContext().hadoopConfiguration(), proxy.endpoint());
  }

  /**
   * Uploads {@code inputs} (granules, and references beside their granules) under {@code prefix}/, reads each from
   * disk, then through faults at {@code rates}; runs each conversion target on each granule fault-free and
   * through faults; then scans with every request failing.
   */
  public Result run(List<Path> inputs, List<String> conversionTargets, FaultProxy.Rates rates, long seed,
                    Path work) throws Exception {
    FaultProxy.Rates none = FaultProxy.Rates.each(0, rates.slowDelay());
    proxy.setRates(none);
    Map<Path, String> urls = new LinkedHashMap<>();
    for (Path input : inputs) {
      urls.put(input, s3.upload(input, "faults/" + input.getFileName()));
    }
    Map<Path, PhotonChecksums.Result> expected = new LinkedHashMap<>();
    for (Path input : inputs) {
      expected.put(input, checksums(read(input.toUri().toString())));
    }
    List<Path> granules = inputs.stream().filter(p -> p.getFileName().toString().endsWith(".h5")).toList();
    Map<String, Map<String, String>> fresh = new LinkedHashMap<>();
    for (String target : conversionTargets) {
      for (Path g : granules) {
        fresh.put(target + " " + g.getFileName(), convert(target, urls.get(g), work.resolve("fault-free")));
      }
    }

    Map<String, Long> before = s3aCounters();
    FaultProxy.Counts faultsBefore = proxy.counts();
    proxy.setRates(rates);
    List<ScanResult> scans = new ArrayList<>();
    for (Path input : inputs) {
      long start = System.nanoTime();
      Dataset<Row> photons = read(urls.get(input));
      List<String> columns = columns(photons);
      Dataset<Row> aggregation = PhotonChecksums.aggregation(photons, columns);
      PhotonChecksums.Result got = PhotonChecksums.collect(aggregation, columns);
      long retries = Atl03ScanMetrics.of(aggregation).getOrDefault("storeRetries", 0L);
      ScanResult r = new ScanResult(input.getFileName().toString(), got.photons(),
          got.equals(expected.get(input)), retries, (System.nanoTime() - start) / 1_000_000);
      log.accept("  scan " + r);
      scans.add(r);
    }
    List<ConversionResult> conversions = new ArrayList<>();
    for (String target : conversionTargets) {
      for (Path g : granules) {
        long start = System.nanoTime();
        Map<String, String> got = convert(target, urls.get(g), work.resolve("faulty"));
        ConversionResult r = new ConversionResult(target, g.getFileName().toString(), got.size(),
            !got.isEmpty() && got.equals(fresh.get(target + " " + g.getFileName())),
            (System.nanoTime() - start) / 1_000_000);
        log.accept("  convert " + r);
        conversions.add(r);
      }
    }
    FaultProxy.Counts faults = minus(proxy.counts(), faultsBefore);
    Map<String, Long> counters = minus(s3aCounters(), before);
    log.accept("  faults " + faults + "; s3a " + counters);

    FailFast failFast = failFast(inputs.get(0), rates);
    proxy.setRates(none);
    return new Result(seed, rates.toString(), scans, conversions, faults, counters, failFast);
  }

  /**
   * Every request fails without a byte of data (SlowDown or a reset before the response): a granule not read before (a fresh key, so
   * no client state helps) must fail the scan with an error naming it, within the configured retry bounds.
   */
  FailFast failFast(Path granule, FaultProxy.Rates rates) throws IOException {
    String key = "faults/unreachable-" + granule.getFileName();
    String url = s3.upload(granule, key);
    // no reset mid-body here: it delivers half a body, and s3a reading on from there does make progress
    FaultProxy.Rates all = new FaultProxy.Rates(0.5, 0.5, 0, 0, rates.slowDelay());
    proxy.setRates(all);
    long start = System.nanoTime();
    String error = failure(url, "fail");
    long millis = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    String skipError = failure(url, "skip");
    long skipMillis = (System.nanoTime() - start) / 1_000_000;
    FailFast f = new FailFast(all.toString(), error != null, error != null && error.contains(key), millis,
        error == null ? null : error.substring(0, Math.min(600, error.length())), skipError != null, skipMillis);
    log.accept("  every request failing: " + f);
    return f;
  }

  /** The error of counting the photons at {@code url}, or null when the count succeeded. */
  private String failure(String url, String onCorruptGranule) {
    try {
      spark.read().format("atl03").option("onCorruptGranule", onCorruptGranule).load(url).count();
      return null;
    } catch (RuntimeException e) {
      return messages(e);
    }
  }

  private static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" <- ");
    }
    return b.toString();
  }

  private Dataset<Row> read(String location) {
    return spark.read().format("atl03").load(location);
  }

  private static PhotonChecksums.Result checksums(Dataset<Row> photons) {
    return PhotonChecksums.of(photons, columns(photons));
  }

  /** Every column but the key, which every checksum hashes anyway. */
  private static List<String> columns(Dataset<Row> photons) {
    List<String> columns = new ArrayList<>(Arrays.asList(photons.columns()));
    columns.removeAll(PhotonChecksums.KEY);
    return columns;
  }

  /** Converts one granule; returns each output file's SHA-256 by its path under the output directory. */
  private Map<String, String> convert(String target, String granuleUrl, Path under) throws Exception {
    Path out = Files.createDirectories(under.resolve(target).resolve(new org.apache.hadoop.fs.Path(granuleUrl).getName()));
    ConvertCommand.registered().get(target).convert(List.of(granuleUrl), out.toString(),
        new ConvertSettings(spark.sparkContext().hadoopConfiguration(), 0, false), spark);
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        digests.put(out.relativize(f).toString(), sha256(f));
      }
    }
    return digests;
  }

  private static String sha256(Path f) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(f)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** s3a's counters for the bucket's client (the one the session uses), of {@link #S3A_COUNTERS}. */
  Map<String, Long> s3aCounters() throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem fs = FileSystem.get(s3.bucketUri(), conf);
    IOStatistics stats = IOStatisticsSupport.retrieveIOStatistics(fs);
    Map<String, Long> m = new LinkedHashMap<>();
    for (String name : S3A_COUNTERS) {
      m.put(name, stats == null ? 0L : stats.counters().getOrDefault(name, 0L));
    }
    return m;
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> m = new LinkedHashMap<>();
    after.forEach((k, v) -> m.put(k, v - before.getOrDefault(k, 0L)));
    return m;
  }

  private static FaultProxy.Counts minus(FaultProxy.Counts after, FaultProxy.Counts before) {
    Map<FaultProxy.Fault, Long> m = new java.util.EnumMap<>(FaultProxy.Fault.class);
    after.injected().forEach((k, v) -> m.put(k, v - before.injected().get(k)));
    return new FaultProxy.Counts(after.requests() - before.requests(), m);
  }
}
