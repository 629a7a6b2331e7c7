package org.atl03.jobs.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
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
import org.atl03.jobs.generate.Generator;
import org.atl03.jobs.generate.GeneratorOptions;
import org.atl03.jobs.generate.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "reliability",
    mixinStandardHelpOptions = true,
    description = {
      "The reliability report: the fuzz harness on a larger budget (HDF5, kerchunk references, FlatGeobuf),",
      "corrupt granules read with onCorruptGranule=fail and skip, and conversions killed with SIGKILL at seeded",
      "random points then rerun. Writes RESULTS/<date>-reliability/ (report.md, results.json) and a row in",
      "RESULTS/README.md; exits 1 on any BUG outcome, partial output or differing rerun."
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
        "local[2]", List.of("--fuzz-seconds", "" + fuzzSeconds, "--seed", "" + seed, "--corrupt-granules",
            "" + corruptGranules, "--kills-per-target", "" + killsPerTarget)));
    Path granules = work.resolve("granules");
    Path fuzzGranule = Generator.generate(new GeneratorOptions(granules.resolve("fuzz"), 1, 3_000, 7, Layout.V006))
        .get(0);
    List<Path> good = Generator.generate(new GeneratorOptions(granules.resolve("good"), 2, 20_000, 5, Layout.V006));
    Path killGranule = Generator.generate(new GeneratorOptions(granules.resolve("kill"), 1, 20_000, 3, Layout.V006))
        .get(0);

    System.out.println("== fuzzing for " + fuzzSeconds + " s, seed " + seed);
    List<FuzzTarget> targets = FuzzTargets.of(fixtures, fuzzGranule, work.resolve("fuzz"));
    FuzzHarness.Result fuzz = new FuzzHarness(seed, 10_000, System.out::println)
        .run(targets, Integer.MAX_VALUE, fuzzSeconds * 1000, -1);
    json.put("fuzz", fuzzJson(fuzz, targets));

    SparkSession spark = session("local[2]");
    CorruptGranules.Result corrupt;
    List<KillTest.TargetResult> kills = List.of();
    try {
      System.out.println("== corrupt granules: " + corruptGranules + " mutants among " + good.size() + " good");
      corrupt = CorruptGranules.run(spark, good, corruptGranules, seed, work.resolve("corrupt"), System.out::println);
      json.put("corrupt_granules", corrupt);
      if (killsPerTarget > 0) {
        System.out.println("== kill test: " + killsPerTarget + " kills per target");
        kills = new KillTest(spark, seed, System.out::println).run(killGranule, work.resolve("kill"),
            List.of("refs", "h5repack", "v007", "flatgeobuf", "geoparquet", "delta"), killsPerTarget);
      }
      json.put("kills", kills);
    } finally {
      spark.stop();
    }
    boolean ok = fuzz.bugs() == 0 && corrupt.goodRowsExact()
        && kills.stream().allMatch(k -> k.rerunIdentical() && k.kills().stream().noneMatch(x -> x.state().bug));
    json.put("ok", ok);
    write(json, fuzz, targets, corrupt, kills, ok);
    return ok ? 0 : 1;
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
                     CorruptGranules.Result corrupt, List<KillTest.TargetResult> kills, boolean ok) throws Exception {
    String name = LocalDate.now() + "-reliability";
    Path dir = Files.createDirectories(results.resolve(name));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), json);
    StringBuilder md = new StringBuilder("# Reliability report\n\n");
    md.append("`./atl03 reliability --fuzz-seconds ").append(fuzzSeconds).append(" --seed ").append(seed)
        .append(" --corrupt-granules ").append(corruptGranules).append(" --kills-per-target ").append(killsPerTarget)
        .append("`; provenance (git SHA, JVM, machine, load) in results.json. Verdict: **")
        .append(ok ? "no lost or wrong rows, no hang, no crash" : "FAILURES, see below").append("**.\n\n");
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
    md.append("\n## Corrupt granules\n\n").append(String.format(Locale.ROOT,
        "%d mutants of a good synthetic granule among %d good granules (%,d photons), one Spark query with "
            + "`onCorruptGranule=skip`: good granules' photons exact (count and checksum of beam, photon_index, h_ph, "
            + "lat_ph, lon_ph, delta_time): **%s**; `corruptGranulesSkipped` = %d, `corruptPartitionsSkipped` = %d. "
            + "Per mutant in skip mode: %s. In fail mode (each alone) every error named the file.%n",
        corrupt.corrupt(), corrupt.good(), corrupt.goodPhotons(), corrupt.goodRowsExact() ? "yes" : "NO",
        corrupt.skippedGranules(), corrupt.skippedPartitions(), corrupt.outcomes()));
    md.append("\n## Conversions killed with SIGKILL\n\n");
    if (kills.isEmpty()) {
      md.append("Not run (--kills-per-target 0).\n");
    } else {
      md.append("| target | photons | kills: state after each (delay ms) | rerun on the leftovers |\n| --- | --- | --- | --- |\n");
      for (KillTest.TargetResult t : kills) {
        List<String> states = new ArrayList<>();
        t.kills().forEach(k -> states.add(k.state() + " (" + k.delayMillis() + ")"));
        md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s |%n", t.target(), t.referencePhotons(),
            String.join(", ", states), t.rerunDetail()));
      }
    }
    md.append("\n## Not covered here\n\n- S3 fault injection (503 SlowDown, connection resets, slow responses): "
        + "not built on this branch, see README \"Hardening\".\n- Credentials in logs, results, exceptions and the "
        + "Spark UI: owned by the cloud-storage work.\n");
    Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
    Path readme = results.resolve("README.md");
    List<String> lines = new ArrayList<>(Files.readAllLines(readme, StandardCharsets.UTF_8));
    String link = "[" + name + "](" + name + "/report.md)";
    lines.removeIf(l -> l.startsWith("| " + link));
    long killCount = kills.stream().mapToLong(k -> k.kills().size()).sum();
    lines.add(String.format(Locale.ROOT, "| %s | reliability | fixtures + synthetic | %,d fuzz cases, %d BUG; "
            + "%d corrupt granules, good rows exact: %s; %d SIGKILLs over %d conversion targets, reruns identical: %s |",
        link, fuzz.cases(), fuzz.bugs(), corrupt.corrupt(), corrupt.goodRowsExact() ? "yes" : "no", killCount,
        kills.size(), kills.stream().allMatch(KillTest.TargetResult::rerunIdentical) ? "yes" : "no"));
    Files.write(readme, lines, StandardCharsets.UTF_8);
    System.out.println(md);
    System.out.println("wrote " + dir);
  }
}
