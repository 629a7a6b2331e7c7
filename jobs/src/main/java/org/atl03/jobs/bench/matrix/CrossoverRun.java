package org.atl03.jobs.bench.matrix;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.hdf5.HdfChannel;
import org.atl03.datasource.io.BlockCachingInputFile;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;
import org.atl03.jobs.bench.H5pyDatasetRead;
import org.atl03.jobs.bench.Timings;
import org.atl03.testing.services.LatencyProxy;

/**
 * Where Spark pays off: one beam's mean h_ph (count and sum of gt1l's h_ph) on single synthetic granules of growing
 * size, read by our source on Spark and by the single-process readers a newcomer would try first (h5py, jhdf), on
 * each storage of the config's crossover. Spark's fixed cost (planning, a job, its tasks) loses to one process on
 * a small beam; its parallel, chunk-selective reads win on large or distant ones. Each reader runs the same query
 * the way its users run it: ours planned and run afresh each time, h5py in a fresh process (interpreter start and
 * imports untimed), jhdf in this JVM. The granules are cached under WORK/crossover; the page cache stays warm.
 */
final class CrossoverRun {

  static final String OURS = "atl03";
  static final String BEAM = "gt1l";
  static final String DATASET = BEAM + "/heights/h_ph";
  /** Remote single-process readers read through 8 MiB blocks: fsspec's block cache for h5py, ours for jhdf. */
  static final int REMOTE_BLOCK_BYTES = 8 << 20;
  private static final long SEED = 1;

  /** One reader on one storage and granule size: its measured runs, or why it has none. */
  record Point(long photonsPerStrongBeam, long granuleBytes, String reader, String storage, String status,
      String reason, List<Double> seconds, long photons, double sum, Long requests, Long bytesDown) {

    static final String OK = "ok";
    static final String SKIPPED = "skipped";
    static final String FAILED = "failed";

    boolean measured() {
      return status.equals(OK);
    }

    double median() {
      return new Timings(seconds).median();
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("photons_per_strong_beam", photonsPerStrongBeam);
      json.put("granule_bytes", granuleBytes);
      json.put("reader", reader);
      json.put("storage", storage);
      json.put("status", status);
      json.put("reason", reason);
      if (measured()) {
        Timings t = new Timings(seconds);
        json.put("seconds", seconds);
        json.put("median_seconds", t.median());
        json.put("min_seconds", t.min());
        json.put("max_seconds", t.max());
        json.put("photons", photons);
        json.put("mean_h_ph", photons == 0 ? null : sum / photons);
        json.put("sum_h_ph", sum);
        json.put("requests", requests);
        json.put("bytes_down", bytesDown);
      }
      return json;
    }
  }

  /** What one read returned, and how long it took (h5py times itself). */
  private record Sample(long photons, double sum, double seconds) {}

  private final BenchConfig.Crossover config;
  private final Path work;
  private final String master;
  private final PrintStream out;
  private final Map<String, Object> versions = new LinkedHashMap<>();

  /** {@code work}: where its granules are generated and served from (WORK/crossover). */
  CrossoverRun(BenchConfig.Crossover config, Path work, String master, PrintStream out) {
    this.config = config;
    this.work = work.toAbsolutePath().normalize();
    this.master = master;
    this.out = out;
  }

  CrossoverResult run(Function<String, SparkSession> sessions) throws Exception {
    Map<Long, Path> granules = new LinkedHashMap<>();
    for (long size : config.photonsPerStrongBeam()) {
      granules.put(size, BenchInputs.generated(work, 1, size, SEED, out).get(0));
    }
    List<BenchStorage> storages = new ArrayList<>();
    List<Point> points = new ArrayList<>();
    try (H5pyDatasetRead h5py = config.readers().contains("h5py") ? new H5pyDatasetRead() : null) {
      for (String spec : config.storage()) {
        out.printf("== crossover storage: %s%n", spec);
        storages.add(spec.equals("local") ? BenchStorage.local() : BenchStorage.start(spec, work));
      }
      SparkSession session = sessions.apply(master);
      Configuration hadoop = session.sparkContext().hadoopConfiguration();
      storages.forEach(s -> s.hadoopSettings().forEach(hadoop::set));
      for (BenchStorage storage : storages) {
        Map<String, Double> lastMedian = new HashMap<>();
        for (Map.Entry<Long, Path> granule : granules.entrySet()) {
          for (String reader : config.readers()) {
            Point p = point(reader, storage, granule.getKey(), granule.getValue(), lastMedian.get(reader), session,
                hadoop, h5py);
            points.add(p);
            out.printf(Locale.ROOT, "[crossover] %-6s %-10s %,12d photons per strong beam: %s%n", reader,
                storage.key(), granule.getKey(), p.measured()
                    ? String.format(Locale.ROOT, "%.3f s median, %,d photons", p.median(), p.photons())
                    : p.status() + ": " + p.reason());
            if (p.measured()) {
              lastMedian.put(reader, p.median());
            }
          }
        }
      }
    } finally {
      storages.forEach(BenchStorage::close);
    }
    return new CrossoverResult(config, master, points, versions);
  }

  private Point point(String reader, BenchStorage storage, long size, Path granule, Double previousMedian,
      SparkSession session, Configuration hadoop, H5pyDatasetRead h5py) throws IOException {
    long bytes = Files.size(granule);
    if (previousMedian != null && previousMedian > config.capSeconds()) {
      return new Point(size, bytes, reader, storage.key(), Point.SKIPPED, String.format(Locale.ROOT,
          "its median on the next smaller granule was %.1f s, over the crossover's cap of %.0f s", previousMedian,
          config.capSeconds()), List.of(), 0, 0, null, null);
    }
    String uri = storage.uri(granule);
    List<Double> seconds = new ArrayList<>();
    Sample last = null;
    LatencyProxy.Traffic traffic = null;
    try {
      for (int i = 0; i < config.warmups() + config.repetitions(); i++) {
        LatencyProxy.Traffic before = storage.traffic();
        last = switch (reader) {
          case OURS -> ours(session, uri);
          case "jhdf" -> jhdf(uri, hadoop, !storage.isLocal());
          case "h5py" -> h5py(h5py, storage.isLocal() ? granule.toString() : uri);
          default -> throw new IllegalStateException(reader);
        };
        if (i >= config.warmups()) {
          seconds.add(last.seconds());
          traffic = before == null ? null : storage.traffic().minus(before); // the last run's: they hardly vary
        }
      }
    } catch (Exception | LinkageError e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return new Point(size, bytes, reader, storage.key(), Point.FAILED, message.lines().limit(8)
          .reduce((a, b) -> a + "\n" + b).orElse(message), List.of(), 0, 0, null, null);
    }
    return new Point(size, bytes, reader, storage.key(), Point.OK, null, seconds, last.photons(), last.sum(),
        traffic == null ? null : traffic.requests(), traffic == null ? null : traffic.bytesDown());
  }

  /** Ours: the query as a user writes it, planned and run afresh (metadata reads included). */
  private Sample ours(SparkSession session, String uri) {
    versions.putIfAbsent(OURS, "spark " + session.version() + " on " + session.sparkContext().master());
    long started = System.nanoTime();
    Row row = session.read().format("atl03").load(uri).filter(col("beam").equalTo(BEAM))
        .agg(count(lit(1)), sum(col("h_ph").cast("double"))).collectAsList().get(0);
    return new Sample(row.getLong(0), row.isNullAt(1) ? 0 : row.getDouble(1), (System.nanoTime() - started) / 1e9);
  }

  /**
   * jhdf: open the file, read h_ph whole ({@code Dataset.getData}: its chunks decoded on the JVM's common pool), sum
   * it. It reads through our positional-read channel (never by path: jhdf memory-maps chunks then); remote files
   * through 8 MiB cached blocks, as h5py's through fsspec's, since jhdf issues one small read per object header and
   * per chunk.
   */
  private Sample jhdf(String uri, Configuration hadoop, boolean remote) throws IOException {
    versions.putIfAbsent("jhdf", HdfFile.class.getPackage().getImplementationVersion());
    long started = System.nanoTime();
    InputFile file = HadoopInputFile.open(new org.apache.hadoop.fs.Path(uri), hadoop);
    // room for every block of the file: jhdf decodes chunks on a parallel stream, out of file order, and with 16
    // blocks it fetched the 391 MB granule 5.8 times over (2.25 GB for one beam's h_ph, measured)
    int blocks = (int) Math.max(1, (file.length() + REMOTE_BLOCK_BYTES - 1) / REMOTE_BLOCK_BYTES);
    // HdfFile.close() fails on a channel-backed file ("No backing file"); closing the input releases everything
    try (InputFile in = remote ? new BlockCachingInputFile(file, REMOTE_BLOCK_BYTES, blocks) : file) {
      float[] h = (float[]) new HdfFile(new HdfChannel(in)).getDatasetByPath(DATASET).getData();
      double total = 0;
      for (float v : h) {
        total += v;
      }
      return new Sample(h.length, total, (System.nanoTime() - started) / 1e9);
    }
  }

  private Sample h5py(H5pyDatasetRead h5py, String target) throws IOException, InterruptedException {
    JsonNode r = h5py.read(target, DATASET, REMOTE_BLOCK_BYTES);
    r.get("versions").fields().forEachRemaining(e -> versions.putIfAbsent("h5py." + e.getKey(), e.getValue().asText()));
    return new Sample(r.get("photons").asLong(), r.get("sum").asDouble(), r.get("seconds").asDouble());
  }
}
