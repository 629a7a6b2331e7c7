package org.atl03.jobs.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.sedona.spark.SedonaContext;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.bench.Provenance;
import org.atl03.jobs.differential.DifferentialRunner;
import org.atl03.jobs.differential.DifferentialSessions;
import org.atl03.jobs.differential.DifferentialTable;
import org.atl03.jobs.differential.DifferentialTables;
import org.atl03.jobs.results.RunDirectory;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.services.FaultProxy;
import org.atl03.testing.services.S3Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "reliability",
    mixinStandardHelpOptions = true,
    description = {
      "The reliability report: the fuzz harness on a larger budget (HDF5, kerchunk references, FlatGeobuf),",
      "corrupt granules read with onCorruptGranule=fail and skip, and conversions killed with SIGKILL at seeded",
      "random points then rerun, scans and conversions over S3 through injected faults, and the differential",
      "pushdown test on a large budget with a new seed (random predicates, pushed vs a materialized copy). Writes",
      "RESULTS/<date>-reliability[-PARTS]/ (report.md, results.json) and a row in RESULTS/README.md; exits 1 on any",
      "BUG outcome, partial output, differing rerun, differing read through faults or differential disagreement."
    })
public final class ReliabilityCommand implements Callable<Integer> {

  @Option(names = "--fuzz-seconds", defaultValue = "600", description = "Fuzzing time over all targets (default ${DEFAULT-VALUE}).")
  long fuzzSeconds;

  @Option(names = "--seed", defaultValue = "20261125", description = "Seed of every mutation and kill point (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--corrupt-granules", defaultValue = "40", description = "Mutated granules read among good ones (default ${DEFAULT-VALUE}).")
  int corruptGranules;

  @Option(names = "--kills-per-target", defaultValue = "4", description = "SIGKILLs per conversion target (default ${DEFAULT-VALUE}; 0 skips).")
  int killsPerTarget;

  /** The report's parts, each can be run alone. */
  enum Part { fuzz, corrupt, kills, s3faults, differential }

  @Option(names = "--parts", split = ",", defaultValue = "fuzz,corrupt,kills,s3faults,differential",
      description = "Parts to run, comma-separated among ${COMPLETION-CANDIDATES} (default all).")
  java.util.EnumSet<Part> parts;

  @Option(names = "--s3-fault-rate", defaultValue = "0.05",
      description = "Fraction of S3 requests given each fault kind (default ${DEFAULT-VALUE}).")
  double s3FaultRate;

  @Option(names = "--differential-cases", defaultValue = "500",
      description = "Random queries per table of the differential pushdown test (default ${DEFAULT-VALUE}).")
  int differentialCases;

  @Option(names = "--differential-seed", defaultValue = "-1",
      description = "Seed of the differential test's predicates and granules (default: a new one, printed).")
  long differentialSeed;

  @Option(names = "--differential-photons", defaultValue = "20000",
      description = "Photons per strong beam of the differential test's synthetic granules (default ${DEFAULT-VALUE}).")
  long differentialPhotons;

  /** Session time zones the differential test parses timestamps in, one per run by its seed. */
  private static final List<java.time.ZoneId> ZONES = List.of(java.time.ZoneId.of("UTC"),
      java.time.ZoneId.of("Asia/Kolkata"), java.time.ZoneId.of("America/Denver"), java.time.ZoneId.of("Pacific/Chatham"));

  @Option(names = "--fixtures", defaultValue = "../shared/fixtures", description = "The shared real-data fixtures.")
  Path fixtures;

  @Option(names = "--work", defaultValue = "work/reliability", description = "Scratch directory.")
  Path work;

  @Option(names = "--results", defaultValue = "results", description = "Results root (default ${DEFAULT-VALUE}).")
  Path results;

  /** A local session that can also read Delta tables and write GeoParquet, as the conversions need. */
  public static SparkSession session(String master) {
    SparkSession spark = SparkSession.builder().master(master).appName("atl03 reliability")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false") // plain plans: the scan node and its metrics are found
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    SedonaContext.create(spark);
    return spark;
  }

  @Override
  public Integer call() throws Exception {
    Configurator.setLevel("io.jhdf", Level.OFF);
    Configurator.setLevel("org.atl03", Level.ERROR);
    Configurator.setLevel("org.apache.spark", Level.ERROR);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("provenance", Provenance.collect(Path.of("."), org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        "local[2]", List.of("--parts", parts.toString(), "--fuzz-seconds", "" + fuzzSeconds, "--seed", "" + seed,
            "--corrupt-granules", "" + corruptGranules, "--kills-per-target", "" + killsPerTarget,
            "--s3-fault-rate", "" + s3FaultRate, "--differential-cases", "" + differentialCases,
            "--differential-seed", "" + differentialSeed, "--differential-photons", "" + differentialPhotons)));
    Path granules = work.resolve("granules");
    Path fuzzGranule = Generator.generate(new GeneratorOptions(granules.resolve("fuzz"), 1, 3_000, 7, Layout.V006))
        .get(0);
    List<Path> good = Generator.generate(new GeneratorOptions(granules.resolve("good"), 2, 20_000, 5, Layout.V006));
    Path killGranule = Generator.generate(new GeneratorOptions(granules.resolve("kill"), 1, 20_000, 3, Layout.V006))
        .get(0);

    FuzzHarness.Result fuzz = null;
    List<FuzzTarget> targets = List.of();
    if (parts.contains(Part.fuzz)) {
      System.out.println("== fuzzing for " + fuzzSeconds + " s, seed " + seed);
      targets = FuzzTargets.of(fixtures, fuzzGranule, work.resolve("fuzz"));
      fuzz = new FuzzHarness(seed, 10_000, System.out::println).run(targets, Integer.MAX_VALUE, fuzzSeconds * 1000, -1);
      json.put("fuzz", fuzzJson(fuzz, targets));
    }

    SparkSession spark = session("local[2]");
    CorruptGranules.Result corrupt = null;
    List<KilledConversions.TargetResult> kills = List.of();
    S3Faults.Result faults = null;
    DifferentialRunner.Result differential = null;
    try {
      if (parts.contains(Part.corrupt)) {
        System.out.println("== corrupt granules: " + corruptGranules + " mutants among " + good.size() + " good");
        corrupt = CorruptGranules.run(spark, good, corruptGranules, seed, work.resolve("corrupt"), System.out::println);
        json.put("corrupt_granules", corrupt);
      }
      if (parts.contains(Part.s3faults)) {
        System.out.println("== S3 faults: " + s3FaultRate + " of requests per fault kind");
        faults = s3Faults(spark, good);
        json.put("s3_faults", faults);
      }
      if (parts.contains(Part.kills) && killsPerTarget > 0) {
        System.out.println("== kill test: " + killsPerTarget + " kills per target");
        kills = new KilledConversions(spark, seed, System.out::println).run(killGranule, work.resolve("kill"),
            List.of("refs", "h5repack", "v007", "flatgeobuf", "geoparquet", "delta"), killsPerTarget);
      }
      json.put("kills", kills);
      if (parts.contains(Part.differential)) {
        differential = differential(spark);
        json.put("differential", differential);
      }
    } finally {
      spark.stop();
    }
    boolean ok = (fuzz == null || fuzz.bugs() == 0) && (corrupt == null || corrupt.goodRowsExact())
        && (faults == null || faults.ok()) && (differential == null || differential.ok()) && kills.stream().allMatch(k -> k.rerunIdentical() && k.kills().stream().noneMatch(x -> x.state().bug));
    json.put("ok", ok);
    write(json, fuzz, targets, corrupt, kills, faults, differential, ok);
    return ok ? 0 : 1;
  }

  /** The differential pushdown test on every table, with this run's seed (a new one unless given). */
  private DifferentialRunner.Result differential(SparkSession spark) throws Exception {
    long runSeed = differentialSeed >= 0 ? differentialSeed : System.currentTimeMillis();
    java.time.ZoneId zone = ZONES.get((int) Math.floorMod(runSeed, (long) ZONES.size()));
    System.out.println("== differential pushdown: " + differentialCases + " cases per table, seed " + runSeed
        + ", session time zone " + zone);
    Path dir = work.resolve("differential");
    org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile()); // a previous run's granules
    DifferentialSessions sessions = DifferentialSessions.of(spark, zone);
    List<DifferentialTable> tables = DifferentialTables.standard(sessions, fixtures, dir, differentialPhotons,
        runSeed, System.out::println);
    return new DifferentialRunner(sessions, System.out::println).run(tables, differentialCases, runSeed);
  }

  private static void differentialSection(StringBuilder md, DifferentialRunner.Result d) {
    md.append("\n## Differential pushdown\n\n").append(String.format(Locale.ROOT, "%,d random queries over %d "
        + "tables, seed %d, session time zone %s, %,d s: each run with pushdown through the source and on a "
        + "materialized copy that Spark filters itself (count and order-independent hash of the rows; every row "
        + "when at most %,d). Disagreements: **%d**.%n%n", d.cases(), d.tables().size(), d.seed(), d.zone(),
        d.millis() / 1000, DifferentialRunner.FULL_ROWS_UP_TO, d.disagreements().size()));
    md.append("| table | cases | scans that took filters | rows in the reference answers | failed alike |\n"
        + "| --- | ---: | ---: | ---: | ---: |\n");
    for (DifferentialRunner.TableRun t : d.tables()) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %d |%n", t.table(), t.cases(),
          t.scansWithPushedFilters(), t.referenceRows(), t.failedAlike()));
    }
    md.append("\n\"Failed alike\": SQL that Spark rejects on both sides (counted, not compared).\n");
    if (!d.disagreements().isEmpty()) {
      md.append("\n### Disagreements: the SQL to reproduce (view `t` over the table's inputs)\n\n");
      for (DifferentialRunner.Disagreement x : d.disagreements()) {
        md.append("- **").append(x.table()).append("** #").append(x.index()).append(" (").append(x.inputs())
            .append("):\n\n  ```sql\n  ").append(x.sql()).append("\n  ```\n  pushed: `").append(x.pushed())
            .append("`\n  reference: `").append(x.reference()).append("`\n");
      }
    }
  }

  /**
   * The good granules, the real fixture (when present) and kerchunk references to the first granule, read over
   * s3a through a {@link org.atl03.testing.services.FaultProxy}; refs and FlatGeobuf conversions of each granule.
   */
  private S3Faults.Result s3Faults(SparkSession spark, List<Path> good) throws Exception {
    Path dir = work.resolve("s3faults");
    org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile()); // a previous run's scratch
    Path data = Files.createDirectories(dir.resolve("data"));
    List<Path> inputs = new ArrayList<>();
    for (Path g : good) {
      inputs.add(Files.copy(g, data.resolve(g.getFileName())));
    }
    Path refs = data.resolve(inputs.get(0).getFileName().toString().replaceFirst("\\.h5$", ".json"));
    org.atl03.jobs.convert.RefsConversion.write(inputs.get(0).toUri().toString(), refs.toUri().toString(),
        new org.apache.hadoop.conf.Configuration(),
        org.atl03.datasource.kerchunk.RefsWriter.Options.DEFAULT.withRelativeUrls(true).withInlineThreshold(100));
    inputs.add(refs);
    Path real = fixtures.resolve("atl03/ATL03_gt1l.h5");
    if (Files.isRegularFile(real)) {
      inputs.add(real);
    }
    FaultProxy.Rates rates = FaultProxy.Rates.each(s3FaultRate, java.time.Duration.ofMillis(200));
    try (S3Server s3 = S3Server.start(dir.resolve("s3"));
        FaultProxy proxy = FaultProxy.start(s3.port(), rates, seed)) {
      return new S3Faults(spark, s3, proxy, System.out::println)
          .run(inputs, List.of("refs", "flatgeobuf"), rates, seed, dir.resolve("out"));
    }
  }

  private void s3FaultsSection(StringBuilder md, S3Faults.Result f) {
    md.append("\n## S3 faults\n\n").append(String.format(Locale.ROOT, "Reads over s3a from a loopback S3 server "
        + "(s3proxy) through `FaultProxy`, seed %d, rates: %s. Every row and column checksum is compared with the "
        + "same input read from `file:`; each conversion's output files (SHA-256) with the fault-free conversion's. "
        + "Verdict: **%s**.%n%n", f.seed(), f.rates(), f.ok() ? "identical, no hang, no crash" : "FAILURES"));
    md.append(String.format(Locale.ROOT, "%,d requests crossed the proxy; faults injected: %s.%n%n",
        f.faults().requests(), f.faults().injected()));
    md.append("s3a's own counters over the same reads: ").append(f.s3aCounters()).append(".\n\n");
    md.append("| read | photons | identical to file: | storeRetries metric | ms |\n| --- | --- | --- | --- | --- |\n");
    for (S3Faults.ScanResult r : f.scans()) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %d | %,d |%n", r.input(), r.photons(),
          r.identical() ? "yes" : "**NO**", r.storeRetriesMetric(), r.millis()));
    }
    md.append("\n| conversion | granule | output files | identical to fault-free | ms |\n| --- | --- | --- | --- | --- |\n");
    for (S3Faults.ConversionResult r : f.conversions()) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %,d |%n", r.target(), r.input(), r.files(),
          r.identical() ? "yes" : "**NO**", r.millis()));
    }
    S3Faults.FailFast ff = f.failFast();
    md.append(String.format(Locale.ROOT, "%nEvery request failing (%s): the scan failed: %s, in %,d ms, naming the "
        + "file: %s; with onCorruptGranule=skip it failed too (an outage is not a corrupt granule): %s, in %,d ms. "
        + "Error: `%s`%n", ff.rates(), ff.failed() ? "yes" : "NO", ff.millis(), ff.namesFile() ? "yes" : "NO",
        ff.failedUnderSkip() ? "yes" : "NO", ff.skipMillis(),
        ff.error() == null ? "" : ff.error().replace('`', '\'').replace('\n', ' ')));
  }

  private Map<String, Object> fuzzJson(FuzzHarness.Result fuzz, List<FuzzTarget> targets) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("seed", fuzz.seed());
    f.put("seconds", fuzzSeconds);
    f.put("cases", fuzz.cases());
    f.put("outcomes", FuzzHarness.totals(fuzz));
    f.put("targets", fuzz.targets());
    f.put("clean_error_types", fuzz.cleanErrorTypes());
    f.put("failures", fuzz.failures().stream().map(Object::toString).toList());
    Map<String, String> meanings = new LinkedHashMap<>();
    for (FuzzHarness.Outcome o : FuzzHarness.Outcome.values()) {
      meanings.put(o.name(), (o.bug ? "BUG: " : "") + o.meaning);
    }
    f.put("outcome_meanings", meanings);
    return f;
  }

  private void write(Map<String, Object> json, FuzzHarness.Result fuzz, List<FuzzTarget> targets,
                     CorruptGranules.Result corrupt, List<KilledConversions.TargetResult> kills, S3Faults.Result faults,
                     DifferentialRunner.Result differential, boolean ok) throws Exception {
    boolean all = parts.size() == Part.values().length;
    String name = LocalDate.now() + "-reliability" + (all ? "" : "-" + String.join("-",
        parts.stream().map(Part::name).toList()));
    RunDirectory dir = RunDirectory.create(results, name);
    dir.writeJson(json);
    StringBuilder md = new StringBuilder("# Reliability report\n\n");
    md.append("`./atl03 reliability --parts ").append(String.join(",", parts.stream().map(Part::name).toList()))
        .append(" --fuzz-seconds ").append(fuzzSeconds).append(" --seed ").append(seed)
        .append(" --corrupt-granules ").append(corruptGranules).append(" --kills-per-target ").append(killsPerTarget)
        .append(" --s3-fault-rate ").append(s3FaultRate)
        .append(differential == null ? "" : " --differential-cases " + differentialCases + " --differential-seed "
            + differential.seed() + " --differential-photons " + differentialPhotons)
        .append("`; provenance (git SHA, JVM, machine, load) in results.json. Verdict: **")
        .append(ok ? "no lost or wrong rows, no hang, no crash" : "FAILURES, see below").append("**.\n\n");
    if (fuzz != null) {
    md.append("## Fuzzing\n\n").append(String.format(Locale.ROOT, "%,d cases in %d s, seed %d; BUG outcomes: %d.%n%n",
        fuzz.cases(), fuzzSeconds, fuzz.seed(), fuzz.bugs()));
    md.append("| target | cases | outcomes | max allocated / case | unmutated read allocated |\n| --- | --- | --- | --- | --- |\n");
    for (FuzzHarness.TargetResult t : fuzz.targets()) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.1f MB | %.1f MB |%n", t.target(), t.cases(),
          t.outcomes(), t.maxAllocatedBytes() / 1e6, t.baselineAllocatedBytes() / 1e6));
    }
    md.append("\nOutcome classes:\n\n");
    for (FuzzHarness.Outcome o : FuzzHarness.Outcome.values()) {
      md.append("- `").append(o.name()).append("` (").append(FuzzHarness.totals(fuzz).get(o)).append("): ")
          .append(o.bug ? "**BUG** — " : "").append(o.meaning).append('\n');
    }
    md.append("\nClean error types: ").append(fuzz.cleanErrorTypes()).append(".\n");
    if (!fuzz.failures().isEmpty()) {
      md.append("\n### BUG cases\n\n```\n");
      fuzz.failures().forEach(f -> md.append(f).append('\n'));
      md.append("```\n");
    }
    }
    if (corrupt != null) {
    md.append("\n## Corrupt granules\n\n").append(String.format(Locale.ROOT,
        "%d mutants of a good synthetic granule among %d good granules (%,d photons), one Spark query with "
            + "`onCorruptGranule=skip`: good granules' photons exact (count and checksum of beam, photon_index, h_ph, "
            + "lat_ph, lon_ph, delta_time): **%s**; `corruptGranulesSkipped` = %d, `corruptPartitionsSkipped` = %d. "
            + "Per mutant in skip mode: %s. In fail mode (each alone) every error named the file.%n",
        corrupt.corrupt(), corrupt.good(), corrupt.goodPhotons(), corrupt.goodRowsExact() ? "yes" : "NO",
        corrupt.skippedGranules(), corrupt.skippedPartitions(), corrupt.outcomes()));
    }
    if (faults != null) {
      s3FaultsSection(md, faults);
    }
    md.append("\n## Conversions killed with SIGKILL\n\n");
    if (kills.isEmpty()) {
      md.append("Not run (--parts without kills, or --kills-per-target 0).\n");
    } else {
      md.append("| target | photons | kills: state after each (delay ms) | rerun on the leftovers |\n| --- | --- | --- | --- |\n");
      for (KilledConversions.TargetResult t : kills) {
        List<String> states = new ArrayList<>();
        t.kills().forEach(k -> states.add(k.state() + " (" + k.delayMillis() + ")"));
        md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s |%n", t.target(), t.referencePhotons(),
            String.join(", ", states), t.rerunDetail()));
      }
    }
    if (differential != null) {
      differentialSection(md, differential);
    }
    md.append("\nCredentials in logs, results, exceptions, plans and the Spark UI: checked by the test "
        + "`SecretsTest` (jobs), not by this report.\n");
    dir.write(RunDirectory.REPORT, md);
    long killCount = kills.stream().mapToLong(k -> k.kills().size()).sum();
    List<String> summary = new ArrayList<>();
    if (fuzz != null) {
      summary.add(String.format(Locale.ROOT, "%,d fuzz cases, %d BUG", fuzz.cases(), fuzz.bugs()));
    }
    if (corrupt != null) {
      summary.add(corrupt.corrupt() + " corrupt granules, good rows exact: " + (corrupt.goodRowsExact() ? "yes" : "no"));
    }
    if (!kills.isEmpty()) {
      summary.add(killCount + " SIGKILLs over " + kills.size() + " conversion targets, reruns identical: "
          + (kills.stream().allMatch(KilledConversions.TargetResult::rerunIdentical) ? "yes" : "no"));
    }
    if (faults != null) {
      summary.add(String.format(Locale.ROOT, "%,d S3 requests, %,d faults injected; %d scans and %d conversions "
          + "identical: %s; all requests failing fails naming the file: %s", faults.faults().requests(),
          faults.faults().faults(), faults.scans().size(), faults.conversions().size(),
          faults.ok() ? "yes" : "NO", faults.failFast().namesFile() && faults.failFast().failedUnderSkip() ? "yes" : "NO"));
    }
    if (differential != null) {
      summary.add(String.format(Locale.ROOT, "%,d differential queries over %d tables (seed %d), disagreements: %d",
          differential.cases(), differential.tables().size(), differential.seed(), differential.disagreements().size()));
    }
    dir.index(new RunDirectory.IndexRow("reliability", "fixtures + synthetic", String.join("; ", summary)));
    System.out.println(md);
    System.out.println("wrote " + dir.path());
  }
}
