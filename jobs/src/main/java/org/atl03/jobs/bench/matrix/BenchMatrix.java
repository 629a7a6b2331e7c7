package org.atl03.jobs.bench.matrix;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.sedona.spark.SedonaContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.InputFiles;
import org.atl03.jobs.SparkOptions;
import org.atl03.jobs.bench.BboxChoice;
import org.atl03.jobs.bench.Provenance;
import org.atl03.jobs.verify.Verifier;

/**
 * The benchmark end to end, for `bench` and `pipeline`: granules (given or generated) → every format the config
 * needs (convert) → the query parameters → every cell → checksum agreement → results/DATE-LABEL/. Returns 0 when
 * every cell that ran agrees and none failed, else 1 (the results are written either way, naming the cells).
 */
final class BenchMatrix {

  private final Path root;
  private final BenchConfig config;
  private final Map<String, BenchReader> readers;
  private final Path work;
  private final Path resultsRoot;
  private final boolean reuseConverted;
  private final List<String> givenGranules;
  private final PrintStream out;
  private final Map<String, Object> stageSeconds = new LinkedHashMap<>();

  /** {@code root}: the checkout, whose git state the provenance records. */
  BenchMatrix(Path root, BenchConfig config, Map<String, BenchReader> readers, Path work, Path resultsRoot,
      boolean reuseConverted, List<String> givenGranules, PrintStream out) {
    this.root = root;
    this.config = config;
    this.readers = readers;
    this.work = work.toAbsolutePath().normalize();
    this.resultsRoot = resultsRoot;
    this.reuseConverted = reuseConverted;
    this.givenGranules = givenGranules;
    this.out = out;
  }

  /** For the commands: the config from {@code options}, every reader. */
  static int run(Path root, MatrixOptions options, SparkOptions spark, String masterOverride, Path work,
      List<String> granules, List<String> args, PrintStream out) throws Exception {
    BenchConfig config = options.load(root, masterOverride);
    BenchMatrix matrix = new BenchMatrix(root, config, BenchReaders.all(), work, options.results,
        options.reuseConverted, granules, out);
    return matrix.run(spark, args).exitCode();
  }

  /** What a run produced. */
  record Outcome(Path directory, ChecksumAgreement.Outcome agreement, CrossoverResult crossover,
      List<CellResult> results, boolean anyFailed) {
    int exitCode() {
      boolean crossoverAgrees = crossover == null || crossover.disagreements().isEmpty();
      return agreement.agree() && crossoverAgrees && !anyFailed ? 0 : 1;
    }
  }

  Outcome run(SparkOptions spark, List<String> args) throws Exception {
    long started = System.nanoTime();
    List<Path> granules;
    boolean generated = givenGranules.isEmpty();
    long t = System.nanoTime();
    if (generated) {
      granules = BenchInputs.generated(work, config, out);
    } else {
      granules = new ArrayList<>();
      for (String g : InputFiles.expand(new Configuration(), givenGranules, List.of(".h5", ".hdf5", ".he5"))) {
        granules.add(Path.of(new org.apache.hadoop.fs.Path(g).toUri().getPath()));
      }
    }
    stageSeconds.put("generate", (System.nanoTime() - t) / 1e9);
    if (!generated && config.storage().stream().anyMatch(s -> !s.startsWith("local"))) {
      granules = underWork(granules); // remote storages serve WORK
    }
    BenchInputs inputs = new BenchInputs(granules, work.resolve("converted"));
    List<BenchStorage> storages = new ArrayList<>();
    Sessions sessions = new Sessions(spark, config.master(), work, storages);
    try {
      SparkSession session = sessions.apply(config.master());
      Map<String, Object> provenance = Provenance.collect(root, session.version(), session.sparkContext().master(),
          args);
      provenance.put("page_cache_drop_works", config.dropCaches() ? PageCache.drop() : null);
      t = System.nanoTime();
      if (!reuseConverted) {
        Set<BenchFormat> formats = new LinkedHashSet<>(config.formats());
        if (config.queries().contains(BenchQuery.Q6)) {
          formats.addAll(config.scaling().formats());
        }
        inputs.convert(new ArrayList<>(formats), session, out);
      }
      stageSeconds.put("convert", (System.nanoTime() - t) / 1e9);
      t = System.nanoTime();
      for (String spec : config.storage()) {
        out.printf("== storage: %s%n", spec);
        storages.add(BenchStorage.start(spec, work));
      }
      sessions.configure(session);
      stageSeconds.put("storage", (System.nanoTime() - t) / 1e9);

      t = System.nanoTime();
      List<String> uris = inputs.granules().stream().map(BenchStorage.local()::uri).toList();
      Dataset<Row> original = session.read().format("atl03").load(uris.toArray(String[]::new));
      long photons = original.count();
      QueryParameters parameters = QueryParameters.of(box(inputs.granules(), photons),
          Verifier.derivedTimeWindow(original, config.timeFraction()));
      out.printf("== bench: %s, %d granule(s), %,d photons; bbox %s; time %s%n", config.label(),
          inputs.granules().size(), photons, parameters.bboxArgument(), parameters.timeArgument());
      MatrixRun matrix = new MatrixRun(config, readers, inputs, parameters, storages, out);
      List<CellResult> results = matrix.run(sessions);
      stageSeconds.put("bench", (System.nanoTime() - t) / 1e9);
      CrossoverResult crossover = null;
      if (config.crossover() != null) {
        t = System.nanoTime();
        out.println("== crossover: where Spark pays off");
        crossover = new CrossoverRun(config.crossover(), work.resolve("crossover"), config.master(), out)
            .run(sessions);
        stageSeconds.put("crossover", (System.nanoTime() - t) / 1e9);
      }
      stageSeconds.put("total", (System.nanoTime() - started) / 1e9);
      provenance.put("load_average_after", Provenance.loadAverage());
      provenance.put("spark_conf", sessions.confs());
      provenance.put("libraries", Libraries.versions());

      ChecksumAgreement.Outcome agreement = ChecksumAgreement.check(results);
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("generated", generated);
      run.put("photons", photons);
      List<Map<String, Object>> granuleJson = new ArrayList<>();
      for (Path g : inputs.granules()) {
        granuleJson.add(Map.of("path", g.toString(), "bytes", Files.size(g)));
      }
      run.put("granules", granuleJson);
      run.put("storage", BenchStorage.describe(storages));
      Map<String, Object> formats = new LinkedHashMap<>();
      Set<BenchFormat> all = new LinkedHashSet<>(config.formats());
      all.addAll(config.scaling().formats());
      for (BenchFormat f : all) {
        Map<String, Object> fj = new LinkedHashMap<>();
        fj.put("title", f.title());
        fj.put("bytes", inputs.bytes(f));
        Map<String, Object> conversion = inputs.conversions().get(f);
        fj.put("conversion_seconds", conversion == null ? null : conversion.get("seconds"));
        fj.put("conversion", conversion);
        formats.put(f.key(), fj);
      }
      run.put("formats", formats);
      run.put("query_parameters", parameters.toJson());
      run.put("pipeline_seconds", stageSeconds);
      if (crossover != null) {
        run.put("crossover", crossover.toJson());
      }
      MatrixReport report = new MatrixReport(LocalDate.now(), config, provenance, run, results, agreement, readers,
          crossover);
      Path dir = report.write(resultsRoot, out);
      report.printSummary(out);
      out.printf("results in %s (pipeline %.1f s)%n", dir, (Double) stageSeconds.get("total"));
      return new Outcome(dir, agreement, crossover, results, report.anyFailed());
    } finally {
      readers.values().forEach(BenchReader::close);
      sessions.stop();
      storages.forEach(BenchStorage::close);
    }
  }

  /** Given granules outside WORK, hard-linked (or copied) into WORK/granules-given so remote storages serve them. */
  private List<Path> underWork(List<Path> granules) throws java.io.IOException {
    List<Path> out = new ArrayList<>();
    Path dir = work.resolve("granules-given");
    Files.createDirectories(dir);
    for (Path g : granules) {
      Path abs = g.toAbsolutePath().normalize();
      if (abs.startsWith(work)) {
        out.add(abs);
        continue;
      }
      Path target = dir.resolve(abs.getFileName());
      Files.deleteIfExists(target);
      try {
        Files.createLink(target, abs);
      } catch (java.io.IOException | UnsupportedOperationException e) {
        Files.copy(abs, target);
      }
      out.add(target);
    }
    return out;
  }

  /** Q3's box: ~bbox_fraction of all photons along gt1l of the first granule where such a box is usable. */
  private BboxChoice.Box box(List<Path> granules, long photons) throws java.io.IOException {
    long wanted = Math.max(1, Math.round(photons * config.bboxFraction()));
    BboxChoice.Box first = null;
    for (Path g : granules) {
      BboxChoice.Box box = BboxChoice.choose(g, "gt1l", wanted);
      if (BboxChoice.usable(box)) {
        return box;
      }
      first = first == null ? box : first;
    }
    return first;
  }

  /**
   * The Spark session per master: Q6 restarts Spark on another master (a local master is fixed for a context's
   * life). Each new session gets Sedona's SQL functions and may read refs that point anywhere under WORK.
   */
  static final class Sessions implements java.util.function.Function<String, SparkSession> {
    private final SparkOptions spark;
    private final Path work;
    private final Map<String, Map<String, String>> confs = new LinkedHashMap<>();
    private final List<BenchStorage> storages;
    private SparkSession current;

    Sessions(SparkOptions spark, String master, Path work, List<BenchStorage> storages) {
      this.spark = spark;
      this.work = work;
      this.storages = storages;
    }

    /** Points the session's Hadoop configuration at the running storages and lets refs read anywhere they serve. */
    void configure(SparkSession session) {
      Configuration conf = session.sparkContext().hadoopConfiguration();
      List<String> prefixes = new ArrayList<>(List.of(work.toUri().toString()));
      for (BenchStorage s : storages) {
        s.hadoopSettings().forEach(conf::set);
        if (!s.isLocal()) {
          prefixes.add(s.uri(work.resolve("x")).replaceFirst("x$", ""));
        }
      }
      conf.set(HadoopSettings.REFS_ALLOWED_PREFIXES, String.join(",", prefixes));
    }

    @Override
    public SparkSession apply(String master) {
      if (current != null && current.sparkContext().master().equals(master)) {
        return current;
      }
      if (current != null && System.getProperty("spark.master") != null) {
        throw new IllegalStateException("under spark-submit the master is the cluster's ("
            + current.sparkContext().master() + "); cannot switch to " + master);
      }
      stop();
      current = spark.session("atl03 bench", master);
      SedonaContext.create(current);
      configure(current);
      Map<String, String> conf = new java.util.TreeMap<>();
      scala.collection.Iterator<scala.Tuple2<String, String>> it = current.conf().getAll().iterator();
      while (it.hasNext()) {
        scala.Tuple2<String, String> e = it.next();
        if (e._1().startsWith("spark.") && !e._1().contains("secret") && !e._1().contains("password")) {
          conf.put(e._1(), e._2());
        }
      }
      confs.put(master, conf);
      return current;
    }

    Map<String, Map<String, String>> confs() {
      return confs;
    }

    void stop() {
      if (current != null) {
        current.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        current = null;
      }
    }
  }
}
