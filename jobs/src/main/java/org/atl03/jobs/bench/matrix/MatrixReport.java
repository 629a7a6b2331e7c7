package org.atl03.jobs.bench.matrix;

import static org.atl03.jobs.results.Numbers.csvNumber;
import static org.atl03.jobs.results.Numbers.csvOrEmpty;
import static org.atl03.jobs.results.Numbers.gb;
import static org.atl03.jobs.results.Numbers.grouped;
import static org.atl03.jobs.results.Numbers.mb;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.atl03.jobs.bench.Charts;
import org.atl03.jobs.bench.Timings;
import org.atl03.jobs.results.RunDirectory;

/**
 * A bench run's results in RESULTS/DATE-LABEL/: results.json (every cell with its repetitions and the provenance),
 * results.csv (one row per cell), report.md (the seed's matrix per query, the hackweek's published numbers beside
 * Q1, the checksum agreement), chart-Q*.png (drawn by the bundled bench_charts.py), and a line in RESULTS/README.md.
 */
final class MatrixReport {

  static final String JOB = "bench";
  /** Draws the report's charts (src/main/python). */
  static final String CHARTS = "bench_charts.py";

  /** The hackweek's published Q1 times (mean h_ph of gt1l, five ~7 GB granules, 338 M photons): theirs, not ours. */
  static final List<String[]> HACKWEEK_Q1 = List.of(
      new String[] {"h5coro", "85.7"},
      new String[] {"h5py", "109.9"},
      new String[] {"H5DataFrame", "102.2"},
      new String[] {"xarray", "377"},
      new String[] {"xarray on kerchunk", "62.5–70.4"});
  static final long HACKWEEK_PHOTONS = 338_000_000L;

  private final LocalDate date;
  private final BenchConfig config;
  private final Map<String, Object> provenance;
  private final Map<String, Object> run;
  private final List<CellResult> results;
  private final ChecksumAgreement.Outcome agreement;
  private final Map<String, BenchReader> readers;
  private final CrossoverResult crossover;

  /** {@code crossover}: null when the run had none. */
  MatrixReport(LocalDate date, BenchConfig config, Map<String, Object> provenance, Map<String, Object> run,
      List<CellResult> results, ChecksumAgreement.Outcome agreement, Map<String, BenchReader> readers,
      CrossoverResult crossover) {
    this.date = date;
    this.config = config;
    this.provenance = provenance;
    this.run = run;
    this.results = List.copyOf(results);
    this.agreement = agreement;
    this.readers = readers;
    this.crossover = crossover;
  }

  boolean anyFailed() {
    return results.stream().anyMatch(r -> r.status() == CellResult.Status.FAILED)
        || crossover != null && crossover.anyFailed();
  }

  Path write(Path resultsRoot, PrintStream out) throws IOException {
    RunDirectory dir = RunDirectory.create(resultsRoot, date + "-" + config.label());
    dir.writeJson(toJson());
    dir.write(RunDirectory.CSV, csv());
    List<String> charts = Charts.draw(CHARTS, dir.path(), out); // from results.json
    dir.write(RunDirectory.REPORT, markdown(charts));
    index(dir);
    return dir.path();
  }

  Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("job", JOB);
    root.put("label", config.label());
    root.put("config", config.toJson());
    root.put("provenance", provenance);
    root.putAll(run);
    Map<String, Object> versions = new LinkedHashMap<>();
    readers.values().forEach(r -> {
      if (!r.versions().isEmpty()) {
        versions.put(r.name(), r.versions());
      }
    });
    root.put("reader_versions", versions);
    root.put("readers", readers.values().stream().filter(r -> config.readers().contains(r.name())
        || config.scaling().readers().contains(r.name())).collect(Collectors.toMap(BenchReader::name,
            BenchReader::description, (a, b) -> a, LinkedHashMap::new)));
    List<Map<String, Object>> cells = new ArrayList<>();
    for (CellResult r : results) {
      cells.add(cellJson(r));
    }
    root.put("cells", cells);
    Map<String, Object> agree = new LinkedHashMap<>();
    agree.put("all_agree", agreement.agree());
    agree.put("groups", agreement.groups());
    agree.put("disagreements", agreement.disagreements().stream().map(ChecksumAgreement.Disagreement::describe)
        .toList());
    root.put("checksum_agreement", agree);
    return root;
  }

  private Map<String, Object> cellJson(CellResult r) {
    Cell c = r.cell();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", c.id());
    json.put("query", c.query().name());
    json.put("reader", c.reader());
    json.put("format", c.format().key());
    json.put("storage", c.storage().key());
    json.put("granules", c.granules());
    json.put("master", c.master());
    json.put("status", r.status().label);
    json.put("reason", r.reason());
    if (r.measured() != null) {
      CellResult.Measured m = r.measured();
      Timings t = m.timings();
      json.put("repetitions", m.repetitions().stream().map(CellResult.Repetition::toJson).toList());
      json.put("median_seconds", t.median());
      json.put("min_seconds", t.min());
      json.put("max_seconds", t.max());
      json.put("cold_seconds", m.coldSeconds());
      json.put("warm_median_seconds", m.warmMedian());
      json.put("photons", m.result().photons());
      json.put("photons_per_second", m.result().photons() / t.median());
      json.put("bytes_read", m.last().bytesRead());
      json.put("requests", m.last().requests());
      json.put("bytes_counter", m.bytesCounter());
      json.put("requests_counter", m.requestsCounter());
      json.put("result", m.result().toJson());
      json.put("agrees", agrees(r));
      json.putAll(m.details());
    }
    return json;
  }

  private boolean agrees(CellResult r) {
    return agreement.disagreements().stream().noneMatch(d -> d.cell().equals(r.cell().id()));
  }

  private String csv() {
    StringBuilder s = new StringBuilder("query,reader,format,storage,granules,master,status,reason,repetitions,"
        + "cold_seconds,median_seconds,min_seconds,max_seconds,warm_median_seconds,photons,photons_per_second,"
        + "bytes_read,requests,mean_h_ph,checksum_rows,agrees\n");
    for (CellResult r : results) {
      Cell c = r.cell();
      List<String> row = new ArrayList<>(List.of(c.query().name(), c.reader(), c.format().key(), c.storage().key(),
          Integer.toString(c.granules()), c.master(), r.status().label, csvText(r.reason())));
      CellResult.Measured m = r.measured();
      if (m == null) {
        row.addAll(List.of("", "", "", "", "", "", "", "", "", "", "", "", ""));
      } else {
        Timings t = m.timings();
        row.addAll(List.of(Integer.toString(m.repetitions().size()), csvNumber(m.coldSeconds()), csvNumber(t.median()),
            csvNumber(t.min()), csvNumber(t.max()), csvNumber(m.warmMedian()), Long.toString(m.result().photons()),
            csvNumber(m.result().photons() / t.median()), csvOrEmpty(m.last().bytesRead()),
            csvOrEmpty(m.last().requests()),
            m.result().meanHPh() == null ? "" : csvNumber(m.result().meanHPh()),
            m.result().checksums().get(org.atl03.jobs.verify.PhotonChecksums.ROWS), Boolean.toString(agrees(r))));
      }
      s.append(String.join(",", row)).append('\n');
    }
    return s.toString();
  }

  private String markdown(List<String> charts) {
    StringBuilder md = new StringBuilder();
    md.append("# bench ").append(config.label()).append(", ").append(date).append("\n\n");
    if (crossover != null) {
      md.append(crossover.headline()).append("\n");
    }
    md.append(config.description()).append("\n\n");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> granules = (List<Map<String, Object>>) run.get("granules");
    long granuleBytes = granules.stream().mapToLong(g -> ((Number) g.get("bytes")).longValue()).sum();
    md.append(String.format(Locale.ROOT, "Granules: %d (%s), %,d photons, %s; %s.%n%n", granules.size(),
        Boolean.TRUE.equals(run.get("generated")) ? "synthetic v006, " + config.photonsPerStrongBeam()
            + " photons per strong beam, seed " + config.seed() : "given", run.get("photons"), mb(granuleBytes),
        "storage: " + String.join(", ", config.storage())));
    md.append(String.format(Locale.ROOT, "Machine: %s cores, %s; Java %s; Spark %s on %s; git %s%s. "
            + "**Load average** (1/5/15 min) before %s, after %s%s.%n%n",
        provenance.get("cores"), gb((Long) provenance.get("memory_bytes")), provenance.get("java_version"),
        provenance.get("spark_version"), provenance.get("spark_master"), provenance.get("git_sha"),
        Boolean.TRUE.equals(provenance.get("git_dirty")) ? " (dirty)" : "", provenance.get("load_average_before"),
        provenance.get("load_average_after"), loadNote()));
    md.append(String.format(Locale.ROOT, "%d repetitions per cell%s; the first is **cold**: %s. Times are the median "
            + "of all repetitions in seconds (min/max, cold and bytes in results.csv/json).%n%n",
        config.repetitions(), config.readerRepetitions().isEmpty() ? ""
            : " (" + config.readerRepetitions().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")) + ", slow peers)", coldNote()));
    @SuppressWarnings("unchecked")
    Map<String, Object> stages = (Map<String, Object>) run.get("pipeline_seconds");
    if (stages != null) {
      md.append("Pipeline wall time: ").append(stages.entrySet().stream()
          .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.1f s", ((Number) e.getValue()).doubleValue()))
          .collect(Collectors.joining(", "))).append(" (report writing not included).\n\n");
    }
    md.append(agreementStatement()).append("\n\n");

    Map<String, String> footnotes = new LinkedHashMap<>();
    for (BenchQuery q : config.queries()) {
      if (q == BenchQuery.Q6) {
        continue;
      }
      md.append("## ").append(q.name()).append(": ").append(q.description()).append("\n\n");
      md.append(queryParameters(q));
      for (String storage : storageKeys()) {
        if (results.stream().anyMatch(r -> r.cell().query() == q && r.cell().storage().key().equals(storage))) {
          md.append(matrix(q, storage, footnotes)); // remote storages may measure some queries only
        }
      }
      if (q == BenchQuery.Q1) {
        md.append(hackweek());
      }
      md.append(details(q));
      if (charts.contains("chart-" + q.name() + ".png")) {
        md.append("\n![").append(q.name()).append("](chart-").append(q.name()).append(".png)\n");
      }
      md.append("\n");
    }
    if (config.queries().contains(BenchQuery.Q6)) {
      md.append(scaling(footnotes));
      if (charts.contains("chart-Q6.png")) {
        md.append("\n![Q6](chart-Q6.png)\n\n");
      }
    }
    if (crossover != null) {
      md.append(crossover.markdown(charts.contains("chart-crossover.png")));
    }
    if (!footnotes.isEmpty()) {
      md.append("## Cells that could not run or failed\n\n");
      footnotes.forEach((mark, text) -> md.append(mark).append(" ").append(text).append("\n\n"));
    }
    md.append(howMeasured());
    if (charts.isEmpty()) {
      md.append("\nNo charts: ").append(Charts.lastProblem()).append("\n");
    }
    return md.toString();
  }

  private String loadNote() {
    Object before = provenance.get("load_average_before");
    if (before instanceof String s && !s.isBlank()) {
      double load = Double.parseDouble(s.split(" ")[0]);
      int cores = ((Number) provenance.get("cores")).intValue();
      if (load > cores) {
        return " — the machine was shared with other work (load above its " + cores
            + " cores): every time here is inflated by it";
      }
    }
    return "";
  }

  private String coldNote() {
    boolean anyDropped = results.stream().filter(r -> r.measured() != null)
        .anyMatch(r -> r.measured().repetitions().get(0).pageCacheDropped());
    boolean anyMeasured = results.stream().anyMatch(r -> r.measured() != null);
    if (!config.dropCaches()) {
      return "the OS page cache was not dropped (drop_caches off), so cold means the first run in the process";
    }
    if (anyDropped) {
      return "the OS page cache was dropped before it (`echo 3 > /proc/sys/vm/drop_caches`, as root)";
    }
    return anyMeasured ? "dropping the OS page cache failed (not root?), so cold means the first run in the process"
        : "no cell was measured";
  }

  private String agreementStatement() {
    long measured = results.stream().filter(r -> r.status() == CellResult.Status.OK).count();
    if (agreement.agree()) {
      return String.format(Locale.ROOT, "**Checksum agreement: all %d measured cells agree** — within each query "
          + "every cell returned the same photon count and the same per-column checksums of the same photons "
          + "(keyed by granule, beam, photon_index; raw IEEE bits of the values).", measured);
    }
    StringBuilder s = new StringBuilder("**Checksum agreement FAILED**: ");
    s.append(agreement.disagreements().size()).append(" of ").append(measured).append(" cells disagree:\n");
    agreement.disagreements().forEach(d -> s.append("\n- ").append(d.describe()));
    return s.toString();
  }

  private String queryParameters(BenchQuery q) {
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) run.get("query_parameters");
    return switch (q) {
      case Q3 -> "Box: " + p.get("bbox") + ".\n\n";
      case Q4 -> "delta_time window: " + p.get("time_window") + ".\n\n";
      case Q5 -> "Polygon: `" + p.get("polygon_wkt") + "`.\n\n";
      default -> "";
    };
  }

  private List<BenchFormat> formatsOf(BenchQuery q) {
    return config.formats();
  }

  private List<String> storageKeys() {
    return results.stream().map(r -> r.cell().storage().key()).distinct().toList();
  }

  private String matrix(BenchQuery q, String storage, Map<String, String> footnotes) {
    List<BenchFormat> formats = formatsOf(q);
    StringBuilder md = new StringBuilder("| reader \\ format | ");
    md.append(formats.stream().map(BenchFormat::key).collect(Collectors.joining(" | "))).append(" |\n|---|");
    md.append(" ---: |".repeat(formats.size())).append("\n");
    for (String reader : config.readers()) {
      md.append("| ").append(reader).append(" |");
      for (BenchFormat f : formats) {
        CellResult r = find(q, reader, f, storage, 0, null);
        md.append(' ').append(r == null ? "–" : cellText(r, footnotes)).append(" |");
      }
      md.append('\n');
    }
    md.append("\nMedian seconds, storage **").append(storage).append("**; n/a: not applicable (reasons in "
        + "results.json).\n\n");
    return md.toString();
  }

  private String cellText(CellResult r, Map<String, String> footnotes) {
    return switch (r.status()) {
      case OK -> String.format(Locale.ROOT, "%.3f", r.measured().timings().median())
          + (agrees(r) ? "" : " **≠**");
      case NOT_APPLICABLE -> "n/a";
      case COULD_NOT_RUN -> "could not run " + footnote(footnotes, "could not run: " + r.reason());
      case FAILED -> "**failed** " + footnote(footnotes, r.cell().id() + " failed: " + r.reason());
    };
  }

  private static String footnote(Map<String, String> footnotes, String text) {
    for (Map.Entry<String, String> e : footnotes.entrySet()) {
      if (e.getValue().equals(text)) {
        return e.getKey();
      }
    }
    String mark = "[" + (footnotes.size() + 1) + "]";
    footnotes.put(mark, text);
    return mark;
  }

  private CellResult find(BenchQuery q, String reader, BenchFormat f, String storage, int granules, String master) {
    for (CellResult r : results) {
      Cell c = r.cell();
      if (c.query() == q && c.reader().equals(reader) && c.format() == f && c.storage().key().equals(storage)
          && (granules == 0 || c.granules() == granules) && (master == null || c.master().equals(master))) {
        return r;
      }
    }
    return null;
  }

  private String hackweek() {
    StringBuilder md = new StringBuilder("For context only — **the hackweek's published numbers**, not ours: the "
        + "same query over five ~7 GB real granules (338 M photons) on their hardware and storage, so not comparable "
        + "cell by cell; photons/s is computed from their figures.\n\n");
    md.append("| reader (hackweek) | seconds | M photons/s |\n|---|---:|---:|\n");
    for (String[] h : HACKWEEK_Q1) {
      String[] range = h[1].split("–");
      String rate = range.length == 1
          ? String.format(Locale.ROOT, "%.1f", HACKWEEK_PHOTONS / 1e6 / Double.parseDouble(range[0]))
          : String.format(Locale.ROOT, "%.1f–%.1f", HACKWEEK_PHOTONS / 1e6 / Double.parseDouble(range[1]),
              HACKWEEK_PHOTONS / 1e6 / Double.parseDouble(range[0]));
      md.append("| ").append(h[0]).append(" | ").append(h[1]).append(" | ").append(rate).append(" |\n");
    }
    md.append("\n");
    return md.toString();
  }

  private String details(BenchQuery q) {
    StringBuilder md = new StringBuilder("<details><summary>Every measured cell of ").append(q.name())
        .append("</summary>\n\n| reader | format | storage | median s | min s | max s | cold s | photons | M photons/s | "
            + "bytes read | requests | mean h_ph |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (CellResult r : results) {
      if (r.cell().query() != q || r.measured() == null) {
        continue;
      }
      CellResult.Measured m = r.measured();
      Timings t = m.timings();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %,d | %.2f | %s | %s | %s |%n",
          r.cell().reader(), r.cell().format().key(), r.cell().storage().key(), t.median(), t.min(), t.max(), m.coldSeconds(),
          m.result().photons(), m.result().photons() / t.median() / 1e6, mb(m.last().bytesRead()),
          grouped(m.last().requests()),
          m.result().meanHPh() == null ? "–" : String.format(Locale.ROOT, "%.4f", m.result().meanHPh())));
    }
    md.append("\n</details>\n");
    return md.toString();
  }

  private String scaling(Map<String, String> footnotes) {
    BenchConfig.Scaling s = config.scaling();
    StringBuilder md = new StringBuilder("## Q6: scaling — ").append(s.query().name())
        .append(" throughput (M photons/s, median) vs granule count and Spark master\n\n");
    md.append("| reader × format | master |");
    s.granuleCounts().forEach(n -> md.append(' ').append(n).append(" granule(s) |"));
    md.append("\n|---|---|").append(" ---: |".repeat(s.granuleCounts().size())).append("\n");
    for (String reader : s.readers()) {
      for (BenchFormat f : s.formats()) {
        for (String master : s.masters()) {
          StringBuilder row = new StringBuilder("| " + reader + " × " + f.key() + " | " + master + " |");
          boolean any = false;
          for (int n : s.granuleCounts()) {
            CellResult r = find(BenchQuery.Q6, reader, f, storageKeys().get(0), n, master);
            String text;
            if (r == null) {
              text = "–";
            } else if (r.status() == CellResult.Status.OK) {
              any = true;
              text = String.format(Locale.ROOT, "%.2f", r.measured().result().photons()
                  / r.measured().timings().median() / 1e6) + (agrees(r) ? "" : " **≠**");
            } else {
              text = cellText(r, footnotes);
            }
            row.append(' ').append(text).append(" |");
          }
          if (any) {
            md.append(row).append('\n');
          }
        }
      }
    }
    Set<String> na = new LinkedHashSet<>();
    results.stream().filter(r -> r.cell().query() == BenchQuery.Q6 && r.status() == CellResult.Status.NOT_APPLICABLE)
        .forEach(r -> na.add(r.cell().reader() + " × " + r.cell().format().key() + ": " + r.reason()));
    if (!na.isEmpty()) {
      md.append("\nn/a: ").append(String.join("; ", na)).append(".\n");
    }
    return md.toString();
  }

  private String howMeasured() {
    StringBuilder md = new StringBuilder("## How it was measured\n\n");
    md.append("- Every cell computes the same result: photon count, mean h_ph and, per query column plus the row "
        + "set, the sum mod 2^64 of Spark's xxhash64(granule, beam, photon_index, column, value) — value as "
        + "IEEE double bits (float widened exactly), integers and signal_conf_ph's 5 values as longs. Spark "
        + "readers compute it in the query (`PhotonChecksums`), jhdf in Java with Spark's XXH64, the Python peers "
        + "with a numpy port of it (`bench_peers.py`). The time includes it for every reader.\n");
    md.append("- Wall time: planning, metadata and data reads, filter and the result; not the JVM/Spark start or the "
        + "Python interpreter start and imports.\n");
    md.append("- Bytes read / requests: Spark readers and jhdf: Hadoop FileSystem statistics of the storage's scheme "
        + "(bytes; for atl03 and flatgeobuf the sources' own read-request metrics, else Hadoop readOps = file opens). "
        + "Python peers: /proc/self/io rchar and syscr (read syscalls) around the repetition. The counter of each "
        + "cell is named in results.json.\n");
    md.append("- Readers:\n");
    readers.values().forEach(r -> {
      if (config.readers().contains(r.name())) {
        md.append("  - `").append(r.name()).append("`: ").append(r.description()).append('\n');
      }
    });
    md.append("- Formats: ").append(config.formats().stream().map(f -> "`" + f.key() + "` " + f.title())
        .collect(Collectors.joining("; "))).append(".\n");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> formats = (Map<String, Map<String, Object>>) run.get("formats");
    if (formats != null) {
      md.append("\n| format | bytes | conversion s |\n|---|---:|---:|\n");
      formats.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", k,
          mb(((Number) v.get("bytes")).longValue()), v.get("conversion_seconds") == null ? "–"
              : String.format(Locale.ROOT, "%.1f", ((Number) v.get("conversion_seconds")).doubleValue()))));
    }
    return md.toString();
  }

  private void index(RunDirectory dir) throws IOException {
    long ok = results.stream().filter(r -> r.status() == CellResult.Status.OK).count();
    long na = results.stream().filter(r -> r.status() == CellResult.Status.NOT_APPLICABLE).count();
    long cannot = results.stream().filter(r -> r.status() == CellResult.Status.COULD_NOT_RUN).count();
    Map<String, Double> q2 = new TreeMap<>();
    results.stream().filter(r -> r.cell().query() == BenchQuery.Q2 && r.measured() != null)
        .forEach(r -> q2.put(r.cell().reader() + " × " + r.cell().format().key(), r.measured().timings().median()));
    String fastest = q2.entrySet().stream().min(Map.Entry.comparingByValue())
        .map(e -> String.format(Locale.ROOT, "; Q2 fastest %s %.3f s", e.getKey(), e.getValue())).orElse("");
    String granules = String.format(Locale.ROOT, "%d granule(s), %,d photons", ((List<?>) run.get("granules")).size(),
        run.get("photons"));
    dir.index(new RunDirectory.IndexRow(JOB, granules, String.format(Locale.ROOT, "%d cells measured, %d n/a, %d "
            + "could not run; checksums %s%s; load %s", ok, na, cannot, agreement.agree() ? "agree" : "DISAGREE",
        fastest, provenance.get("load_average_before"))));
  }

  void printSummary(PrintStream out) {
    long ok = results.stream().filter(r -> r.status() == CellResult.Status.OK).count();
    out.printf("%n%d cells: %d measured, %d n/a, %d could not run, %d failed%n", results.size(), ok,
        results.stream().filter(r -> r.status() == CellResult.Status.NOT_APPLICABLE).count(),
        results.stream().filter(r -> r.status() == CellResult.Status.COULD_NOT_RUN).count(),
        results.stream().filter(r -> r.status() == CellResult.Status.FAILED).count());
    for (CellResult r : results) {
      if (r.status() == CellResult.Status.FAILED) {
        out.println("FAILED " + r.cell().id() + ": " + r.reason());
      }
    }
    if (crossover != null) {
      crossover.crossings().forEach(c -> out.println("crossover " + c.storage() + ": " + CrossoverRun.OURS + " is "
          + c.sentence()));
      crossover.disagreements().forEach(d -> out.println("crossover readers DISAGREE: " + d));
      crossover.points().stream().filter(p -> p.status().equals(CrossoverRun.Point.FAILED)).forEach(p -> out.println(
          "FAILED crossover " + p.reader() + " " + p.storage() + " " + p.photonsPerStrongBeam() + ": " + p.reason()));
    }
    if (agreement.agree()) {
      out.println("checksums: every measured cell of each query agrees");
    } else {
      out.println("checksums DISAGREE:");
      agreement.disagreements().forEach(d -> out.println("  " + d.describe()));
    }
  }

  private static String csvText(String s) {
    return s == null ? "" : "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
  }
}
