package org.atl03.jobs.bench.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.atl03.jobs.bench.Charts;
import org.atl03.jobs.results.Numbers;
import org.atl03.jobs.results.RunDirectory;

/** The scale benchmark's results: results.json, results.csv, report.md, and the run's row in the results index. */
final class ScaleBenchReport {

  /** 1,000 granules, 1 % bbox: planning from the catalog at most this long on the driver. */
  static final double TARGET_CATALOG_PLANNING_S = 2.0;
  /** … and this many times faster than from the files, on local disk and at 20 ms. */
  static final double TARGET_SPEEDUP_LOCAL = 20;
  static final double TARGET_SPEEDUP_REMOTE = 50;
  static final double TARGET_SIZE_RATIO = 0.01;
  static final double TARGET_GRANULES_PER_MINUTE = 500;
  static final int TARGET_GRANULES = 1000;
  /** Executor scaling 1 → 2 on a full scan of at least this many granules. */
  static final double TARGET_EXECUTOR_SPEEDUP = 1.6;
  static final int TARGET_SCALING_GRANULES = 8;
  /** The synthetic archive: planning a 1 % bbox + 1 month query this fast, cold, with 1 GB of heap. */
  static final double TARGET_ARCHIVE_PLANNING_S = 10;
  /** Draws chart-planning.png and chart-scaling.png (src/main/python). */
  static final String CHARTS = "scale_charts.py";

  /** One catalog build: N granules indexed on the run's master. */
  record Build(int granules, double seconds, long windows, long catalogBytes, long granuleBytes, int skipped) {
    double granulesPerMinute() {
      return granules / seconds * 60;
    }

    double sizeRatio() {
      return (double) catalogBytes / granuleBytes;
    }
  }

  private final LocalDate date;
  private final Map<String, Object> provenance;
  private final Map<String, Object> options;
  private final List<Build> builds;
  private final List<PlanningRun> runs;
  private final List<ExecutorScaling> scaling;
  private final ArchiveRun archive;

  ScaleBenchReport(LocalDate date, Map<String, Object> provenance, Map<String, Object> options, List<Build> builds,
      List<PlanningRun> runs, List<ExecutorScaling> scaling, ArchiveRun archive) {
    this.date = date;
    this.provenance = provenance;
    this.options = options;
    this.builds = builds;
    this.runs = runs;
    this.scaling = scaling;
    this.archive = archive;
  }

  Path write(Path resultsRoot, PrintStream out) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("job", "scale-bench");
    json.put("date", date.toString());
    json.put("provenance", provenance);
    json.put("options", options);
    json.put("builds", builds.stream().map(b -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("granules", b.granules());
      m.put("seconds", b.seconds());
      m.put("granules_per_minute", b.granulesPerMinute());
      m.put("windows", b.windows());
      m.put("catalog_bytes", b.catalogBytes());
      m.put("granule_bytes", b.granuleBytes());
      m.put("size_ratio", b.sizeRatio());
      m.put("skipped", b.skipped());
      return m;
    }).toList());
    json.put("planning", runs.stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("store", r.store());
      m.put("granules", r.granules());
      m.put("query", r.query());
      m.put("source", r.source());
      m.put("planning_seconds", r.planning().seconds());
      m.put("planning_median_s", r.planning().median());
      m.put("query_seconds", r.whole().seconds());
      m.put("query_median_s", r.whole().median());
      m.put("photons", r.photons());
      m.put("metrics", r.metrics());
      return m;
    }).toList());
    json.put("executor_scaling", scaling.stream().map(x -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("granules", x.granules());
      m.put("photons_per_strong_beam", x.photonsPerStrongBeam());
      m.put("photons", x.photons());
      m.put("partitions", x.partitions());
      m.put("one_executor_seconds", x.one().seconds());
      m.put("two_executors_seconds", x.two().seconds());
      m.put("one_executor_median_s", x.one().median());
      m.put("two_executors_median_s", x.two().median());
      m.put("speedup", x.speedup());
      m.put("load_average_one", x.loadOne());
      m.put("load_average_two", x.loadTwo());
      m.put("one_executor_spent", x.spentOne());
      m.put("two_executors_spent", x.spentTwo());
      return m;
    }).toList());
    json.put("archive", archive == null ? null : archive.toJson());
    Optional<EmrModel.Inputs> model = emrInputs();
    json.put("emr_model", model.map(in -> EmrModel.toJson(in, EmrModel.rows(in))).orElse(null));
    json.put("targets", targets());
    StringBuilder csv = new StringBuilder(
        "store,granules,query,source,planning_median_s,query_median_s,planning_read_requests,planning_bytes_read,"
            + "catalog_files_read,catalog_bytes_read,photons\n");
    for (PlanningRun r : runs) {
      csv.append(String.join(",", r.store(), String.valueOf(r.granules()), r.query(), r.source(),
          Numbers.csvNumber(r.planning().median()), Numbers.csvNumber(r.whole().median()),
          String.valueOf(r.metric("planningReadRequests")), String.valueOf(r.metric("planningBytesRead")),
          String.valueOf(r.metric("catalogFilesRead")), String.valueOf(r.metric("catalogBytesRead")),
          String.valueOf(r.photons()))).append('\n');
    }
    RunDirectory dir = RunDirectory.create(resultsRoot, date + "-scale-bench");
    dir.writeJson(json);
    dir.write(RunDirectory.CSV, csv);
    List<String> charts = Charts.draw(CHARTS, dir.path(), out); // from results.json
    dir.write(RunDirectory.REPORT, markdown(charts));
    dir.index(new RunDirectory.IndexRow("scale-bench", builds.stream().mapToInt(Build::granules).max().orElse(0)
        + " synthetic granules", headline()));
    return dir.path();
  }

  private Optional<PlanningRun> run(String store, int n, String query, String source) {
    return runs.stream().filter(r -> r.store().equals(store) && r.granules() == n && r.query().equals(query)
        && r.source().equals(source)).findFirst();
  }

  /** Planning from the files over planning from the catalog, median over median. */
  private Double speedup(String store, int n, String query) {
    Optional<PlanningRun> files = run(store, n, query, "files");
    Optional<PlanningRun> catalog = run(store, n, query, "catalog");
    return files.isPresent() && catalog.isPresent()
        ? files.get().planning().median() / catalog.get().planning().median() : null;
  }

  private String remoteStore() {
    return runs.stream().map(PlanningRun::store).filter(s -> !s.equals("local")).findFirst().orElse(null);
  }

  private List<Map<String, Object>> targets() {
    List<Map<String, Object>> t = new ArrayList<>();
    Optional<PlanningRun> catalog = run("local", TARGET_GRANULES, "1 % bbox", "catalog");
    t.add(target("1,000 granules, 1 % bbox: planning from the catalog (s)", "<= " + TARGET_CATALOG_PLANNING_S,
        catalog.map(r -> r.planning().median()).orElse(null),
        catalog.map(r -> r.planning().median() <= TARGET_CATALOG_PLANNING_S).orElse(null)));
    t.add(target("… and its HDF5 requests on the driver", "0",
        catalog.map(r -> (double) r.metric("planningReadRequests")).orElse(null),
        catalog.map(r -> r.metric("planningReadRequests") == 0).orElse(null)));
    Double local = speedup("local", TARGET_GRANULES, "1 % bbox");
    t.add(target("… faster than from the files, local disk (×)", ">= " + TARGET_SPEEDUP_LOCAL, local,
        local == null ? null : local >= TARGET_SPEEDUP_LOCAL));
    String remote = remoteStore();
    Double far = remote == null ? null : speedup(remote, TARGET_GRANULES, "1 % bbox");
    t.add(target("… faster than from the files, " + (remote == null ? "S3 at 20 ms" : remote) + " (×)",
        ">= " + TARGET_SPEEDUP_REMOTE, far, far == null ? null : far >= TARGET_SPEEDUP_REMOTE));
    Optional<Build> largest = builds.stream().filter(b -> b.granules() == TARGET_GRANULES).findFirst();
    t.add(target("catalog size / granules' size", "<= " + TARGET_SIZE_RATIO,
        largest.map(Build::sizeRatio).orElse(null), largest.map(b -> b.sizeRatio() <= TARGET_SIZE_RATIO).orElse(null)));
    t.add(target("catalog build, granules per minute", ">= " + TARGET_GRANULES_PER_MINUTE,
        largest.map(Build::granulesPerMinute).orElse(null),
        largest.map(b -> b.granulesPerMinute() >= TARGET_GRANULES_PER_MINUTE).orElse(null)));
    Optional<ExecutorScaling> scan = scalingTarget();
    t.add(target("executor scaling 1 → 2, full scan of >= " + TARGET_SCALING_GRANULES + " granules (×)",
        ">= " + TARGET_EXECUTOR_SPEEDUP, scan.map(ExecutorScaling::speedup).orElse(null),
        scan.map(x -> x.speedup() >= TARGET_EXECUTOR_SPEEDUP).orElse(null)));
    Optional<ArchiveRun.Planned> cold = archive == null ? Optional.empty() : Optional.of(archive.planned());
    t.add(target("archive of " + (archive == null ? "500,000" : String.format(Locale.ROOT, "%,d", archive.granules()))
        + " granules, 1 % bbox + 1 month: planning cold with " + ArchiveRun.HEAP + " heap (s)",
        "<= " + TARGET_ARCHIVE_PLANNING_S, cold.map(ArchiveRun.Planned::firstSeconds).orElse(null),
        cold.map(c -> c.firstSeconds() <= TARGET_ARCHIVE_PLANNING_S).orElse(null)));
    return t;
  }

  /** The set the scaling target is judged on: of at least 8 granules, the most photons. */
  private Optional<ExecutorScaling> scalingTarget() {
    return scaling.stream().filter(x -> x.granules() >= TARGET_SCALING_GRANULES)
        .max(java.util.Comparator.comparingLong(ExecutorScaling::photons));
  }

  private static Map<String, Object> target(String what, String goal, Double measured, Boolean met) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", what);
    m.put("goal", goal);
    m.put("measured", measured);
    m.put("met", met);
    return m;
  }

  private String headline() {
    Double local = speedup("local", TARGET_GRANULES, "1 % bbox");
    String remote = remoteStore();
    Double far = remote == null ? null : speedup(remote, TARGET_GRANULES, "1 % bbox");
    return String.format(Locale.ROOT, "1,000 granules, 1 %% bbox: catalog planning %s× faster than files locally, "
        + "%s× at %s", local == null ? "n/a" : String.format(Locale.ROOT, "%.1f", local),
        far == null ? "n/a" : String.format(Locale.ROOT, "%.1f", far), remote == null ? "n/a" : remote);
  }

  private String markdown(List<String> charts) {
    StringBuilder md = new StringBuilder();
    md.append("# Scale benchmark, ").append(date).append("\n\n");
    md.append("Planning a query over N small synthetic granules from their files (the driver opens each granule) "
        + "and from a catalog (`./atl03 index`; the driver reads its Delta log and the Parquet row groups its "
        + "statistics do not rule out, without a Spark job: `catalogReader=driver`). Planning is timed as Spark "
        + "building the executed plan, which plans the scan's partitions; the query's time includes it. Medians of "
        + options.get("repetitions") + " runs after " + options.get("warmups") + " warm-up. Options: `"
        + options + "`. Provenance in `results.json`.\n\n");
    md.append("## Targets\n\n| target | goal | measured | met |\n| --- | --- | ---: | --- |\n");
    for (Map<String, Object> t : targets()) {
      Object measured = t.get("measured");
      md.append("| ").append(t.get("target")).append(" | ").append(t.get("goal")).append(" | ")
          .append(measured == null ? "not measured" : String.format(Locale.ROOT, "%.4g", (Double) measured))
          .append(" | ").append(t.get("met") == null ? "—" : (Boolean) t.get("met") ? "yes" : "**no**")
          .append(" |\n");
    }
    md.append("\n## Catalog builds\n\n| granules | build s | granules/min | windows | catalog | granules | size ratio "
        + "|\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Build b : builds) {
      md.append(String.format(Locale.ROOT, "| %d | %.2f | %.0f | %d | %s | %s | %.4f %% |%n", b.granules(),
          b.seconds(), b.granulesPerMinute(), b.windows(), Numbers.mb(b.catalogBytes()), Numbers.mb(b.granuleBytes()),
          100 * b.sizeRatio()));
    }
    md.append("\n## Planning\n\n| store | granules | query | from | planning s | query s | driver requests | "
        + "driver bytes | catalog files | catalog bytes | photons | files ÷ catalog |\n"
        + "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (PlanningRun r : runs) {
      Double speedup = r.source().equals("catalog") ? speedup(r.store(), r.granules(), r.query()) : null;
      md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.3f | %.3f | %s | %s | %s | %s | %s | %s |%n",
          r.store(), r.granules(), r.query(), r.source(), r.planning().median(), r.whole().median(),
          Numbers.grouped(r.metric("planningReadRequests")), Numbers.mb(r.metric("planningBytesRead")),
          Numbers.grouped(r.metric("catalogFilesRead")), Numbers.mb(r.metric("catalogBytesRead")),
          Numbers.grouped(r.photons()), speedup == null ? "" : String.format(Locale.ROOT, "%.1f×", speedup)));
    }
    md.append("\n## Executor scaling\n\nThe full scan (every column of the default schema decoded: count, sum of "
        + "h_ph and of a hash of each row, equal on both) of a set of granules on the loopback standalone cluster "
        + "(`bin/standalone-cluster --scaling`): a Master and two Workers of 1 core each, the driver in the "
        + "spark-submit JVM, all on this machine's " + Runtime.getRuntime().availableProcessors() + " cores. The "
        + "same cluster runs the scan with 1 executor, then with 2 (one per worker); warm-ups first, medians of the "
        + "timed runs. The load average is the 1-minute one, sampled every second while the runs were timed.\n\n"
        + "| granules | photons per strong beam | photons | partitions | 1 executor s | 2 executors s | 1 → 2 | "
        + "M photons/s, 1 / 2 | load average, 1 / 2 |\n"
        + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ExecutorScaling x : scaling) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.2f | %.2f | %.2f× | %.2f / %.2f | %.2f / %.2f |%n",
          x.granules(), Numbers.grouped(x.photonsPerStrongBeam()), Numbers.grouped(x.photons()), x.partitions(),
          x.one().median(), x.two().median(), x.speedup(), x.photonsPerSecond(1) / 1e6, x.photonsPerSecond(2) / 1e6,
          x.loadOne(), x.loadTwo()));
    }
    if (scaling.isEmpty()) {
      md.append("| not run | | | | | | | | |\n");
    } else {
      md.append("\nWhere the time went (medians of the timed runs, from Spark's task events): the driver alone "
          + "before the first task (planning, scheduling), the span during which tasks ran, and the tasks' summed "
          + "run and CPU times. Run time above CPU time is time a task waited, for a core or a read (Spark counts a "
          + "task's run time in whole milliseconds and its CPU time in nanoseconds, so over thousands of tasks of a "
          + "few milliseconds the difference means little, and can be negative).\n\n"
          + "| granules | executors | driver alone s | tasks running s | tasks' run s | tasks' CPU s | waited s |\n"
          + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (ExecutorScaling x : scaling) {
        for (int executors = 1; executors <= 2; executors++) {
          ExecutorScaling.Spent t = executors == 1 ? x.spentOne() : x.spentTwo();
          md.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", x.granules(),
              executors, t.driverAlone(), t.tasksRunning(), t.taskRun(), t.taskCpu(), t.taskRun() - t.taskCpu()));
        }
      }
    }
    md.append(archiveMarkdown());
    md.append("\n## EMR model\n\n");
    Optional<EmrModel.Inputs> model = emrInputs();
    md.append(model.map(in -> EmrModel.markdown(in, EmrModel.rows(in)))
        .orElse("Not computed: it needs the executor scaling and planning on S3 of this run.\n"));
    md.append("\n## Charts\n\n");
    if (charts.isEmpty()) {
      md.append("No charts: ").append(Charts.lastProblem()).append("\n");
    }
    for (String chart : charts) {
      md.append("![").append(chart).append("](").append(chart).append(")\n\n");
    }
    return md.toString();
  }

  /** The model's measured inputs, when the run measured them all. */
  private Optional<EmrModel.Inputs> emrInputs() {
    Optional<ExecutorScaling> scan = scalingTarget();
    String remote = remoteStore();
    if (scan.isEmpty() || remote == null) {
      return Optional.empty();
    }
    int n = runs.stream().filter(r -> r.store().equals(remote)).mapToInt(PlanningRun::granules).max().orElse(0);
    Optional<PlanningRun> bbox = run(remote, n, "1 % bbox", "files");
    Optional<PlanningRun> full = run(remote, n, "full scan", "files");
    Optional<PlanningRun> catalog = run(remote, n, "1 % bbox", "catalog");
    if (bbox.isEmpty() || full.isEmpty() || catalog.isEmpty()) {
      return Optional.empty();
    }
    Double archivePlanning = archive == null ? null : archive.planned().firstSeconds();
    return Optional.of(new EmrModel.Inputs(scan.get().photonsPerSecond(1), scan.get().speedup() / 2,
        bbox.get().planning().median() / n, full.get().planning().median() / n, catalog.get().planning().median(),
        archivePlanning));
  }

  private String archiveMarkdown() {
    StringBuilder md = new StringBuilder("\n## Archive scale, simulated\n\n");
    if (archive == null) {
      return md.append("Not run.\n").toString();
    }
    md.append(String.format(Locale.ROOT, "A catalog of %,d synthetic granules (`ArchiveCatalog`: ICESat-2's orbit "
        + "from the mission's first day, 14 granules an orbit, 1,387 tracks, six beams, photons per strong beam "
        + "log-normal around 15 M) written as `index` writes: %,d windows in %,d files, %s. Windows of the query's "
        + "month carry chunk manifests copied from a real indexed window and re-laid; others carry none and are "
        + "never read. Query: %s. %,d windows in %,d catalog files overlap it (bounds against box and month, no "
        + "margin). Planned in a child JVM with -Xmx%s on local[2], the first planning cold (a new JVM, the Delta "
        + "log read from disk: the checkpoint `index` writes after its commit), then %s repetitions. Catalog bytes "
        + "are those fetched (footers, the row groups read, the log).%n%n",
        archive.granules(), archive.windows(),
        archive.catalogFiles(), Numbers.gb(archive.catalogBytes()), archive.query(), archive.matchingWindows(),
        archive.filesWithMatchingWindow(), ArchiveRun.HEAP, options.get("repetitions")));
    md.append("| planning cold s | planning after s | partitions | catalog files touched | their bytes | heap peak |"
        + "\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    ArchiveRun.Planned p = archive.planned();
    md.append(String.format(Locale.ROOT, "| %.2f | %.2f | %d | %s of %s | %s | %s of %s |%n", p.firstSeconds(),
        p.seconds().median(), p.partitions(), Numbers.grouped(p.filesRead()), Numbers.grouped(archive.catalogFiles()),
        Numbers.mb(p.bytesRead()), Numbers.mb(p.peakHeapBytes()), Numbers.mb(p.maxHeapBytes())));
    return md.toString();
  }

  void printSummary(PrintStream out) {
    out.println("== targets");
    for (Map<String, Object> t : targets()) {
      out.printf("   %-70s %-8s measured %s met %s%n", t.get("target"), t.get("goal"), t.get("measured"), t.get("met"));
    }
  }
}
