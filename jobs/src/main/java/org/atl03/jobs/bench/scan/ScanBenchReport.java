package org.atl03.jobs.bench.scan;

import static org.atl03.jobs.results.Numbers.csvNumber;
import static org.atl03.jobs.results.Numbers.csvOrEmpty;
import static org.atl03.jobs.results.Numbers.gb;
import static org.atl03.jobs.results.Numbers.grouped;
import static org.atl03.jobs.results.Numbers.mb;
import static org.atl03.jobs.results.Numbers.pct;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.atl03.jobs.results.RunDirectory;

/** A scan-bench run's numbers: written as results.json, results.csv, report.md and a line of the results index. */
final class ScanBenchReport {

  static final String JOB = "scan-bench";

  private final LocalDate date;
  private final Map<String, Object> provenance;
  private final Map<String, Object> granule;
  private final Map<String, Object> options;
  private final Map<String, Measurement> measurements = new LinkedHashMap<>();

  /** The aggregate query against h5py. */
  static final double TARGET_VS_H5PY = 2.0;
  /** Scan only against merely inflating the same chunks with the JDK's zlib, and with libdeflate. */
  static final double TARGET_SCAN_VS_JDK_FLOOR = 1.0;
  static final double TARGET_SCAN_VS_LIBDEFLATE_FLOOR = 0.6;
  /** A full scan of a granule this large completes with the heap at most this. */
  static final long HEAP_TARGET_GRANULE_BYTES = 2_000_000_000L;
  static final long HEAP_TARGET_MAX_HEAP_BYTES = 512L << 20;
  /** `./atl03 --help`, wall time, when nothing needs installing or building. */
  static final double TARGET_HELP_SECONDS = 1.0;

  ScanBenchReport(LocalDate date, Map<String, Object> provenance, Map<String, Object> granule,
      Map<String, Object> options, List<Measurement> measurements) {
    this.date = date;
    this.provenance = provenance;
    this.granule = granule;
    this.options = options;
    measurements.forEach(m -> this.measurements.put(m.name(), m));
  }

  private Measurement ours() {
    return measurements.get("ours_full_scan");
  }

  private Measurement h5py() {
    return measurements.get("h5py_full_scan");
  }

  /** Inflating with the JDK's zlib. */
  private Measurement floor() {
    return measurements.get("inflate_floor");
  }

  private Measurement libdeflateFloor() {
    return measurements.get("inflate_floor_libdeflate");
  }

  private Measurement bbox() {
    return measurements.get("ours_bbox_query");
  }

  private Measurement scanOnly() {
    return measurements.get("ours_scan_only");
  }

  private Measurement refsWrite() {
    return measurements.get("refs_write");
  }

  private Measurement refsFull() {
    return measurements.get("refs_full_scan");
  }

  private Measurement refsBbox() {
    return measurements.get("refs_bbox_query");
  }

  private Measurement catalogFull() {
    return measurements.get("catalog_full_scan");
  }

  private Measurement catalogBbox() {
    return measurements.get("catalog_bbox_query");
  }

  private Measurement catalogPoint() {
    return measurements.get("catalog_point_query");
  }

  /** The bbox query through the catalog, as a share of the full scan's time on the HDF5 (target: 5 %). */
  double catalogBboxVsFullScan() {
    return catalogBbox().timings().median() / ours().timings().median();
  }

  static final double TARGET_CATALOG_BBOX_SHARE = 0.05;

  /** The aggregate query (Spark's row conversion and aggregation included) against h5py. */
  double oursVsH5py() {
    return ours().photonsPerSecond() / h5py().photonsPerSecond();
  }

  double oursVsFloor() {
    return ours().photonsPerSecond() / floor().photonsPerSecond();
  }

  /** The source alone (its columnar batches, rows counted) against h5py. */
  double scanOnlyVsH5py() {
    return scanOnly().photonsPerSecond() / h5py().photonsPerSecond();
  }

  double scanOnlyVsFloor() {
    return scanOnly().photonsPerSecond() / floor().photonsPerSecond();
  }

  double oursVsLibdeflateFloor() {
    return ours().photonsPerSecond() / libdeflateFloor().photonsPerSecond();
  }

  double scanOnlyVsLibdeflateFloor() {
    return scanOnly().photonsPerSecond() / libdeflateFloor().photonsPerSecond();
  }

  private long peakHeap() {
    return (Long) ours().details().get("peak_heap_bytes");
  }

  private long maxHeap() {
    return (Long) options.get("max_heap_bytes");
  }

  /** The launcher's median start against its target, or why it was not measured. */
  private String launcherTarget() {
    @SuppressWarnings("unchecked")
    Map<String, Object> launcher = (Map<String, Object>) options.get("launcher_help");
    if (launcher == null || launcher.containsKey("not_measured")) {
      return "not measured: " + (launcher == null ? "no launcher timing" : launcher.get("not_measured"));
    }
    double median = ((Number) launcher.get("median_seconds")).doubleValue();
    @SuppressWarnings("unchecked")
    List<Double> seconds = (List<Double>) launcher.get("seconds");
    return String.format(Locale.ROOT, "median %.2f s, max %.2f s of %d runs: %s", median,
        ((Number) launcher.get("max_seconds")).doubleValue(), seconds.size(),
        median <= TARGET_HELP_SECONDS ? "met" : "**not met**");
  }

  /** Whether this run tests the heap target (a large enough granule, a small enough heap), and then that it did. */
  private String heapTarget() {
    if ((Long) granule.get("bytes") < HEAP_TARGET_GRANULE_BYTES || maxHeap() > HEAP_TARGET_MAX_HEAP_BYTES) {
      return "not tested by this run (`./atl03 heap-bench` tests it)";
    }
    return "met (this run)";
  }

  /** A target of the issue: what it compares, the ratio measured, the bound. */
  private record Target(String what, String key, double ratio, double bound) {
    boolean met() {
      return ratio >= bound;
    }
  }

  private List<Target> targets() {
    return List.of(
        new Target("aggregate query ≥ %.1f× h5py", "ours_vs_h5py", oursVsH5py(), TARGET_VS_H5PY),
        new Target("scan only ≥ %.1f× the JDK-zlib floor", "scan_only_vs_inflate_floor", scanOnlyVsFloor(),
            TARGET_SCAN_VS_JDK_FLOOR),
        new Target("scan only ≥ %.1f× the libdeflate floor", "scan_only_vs_libdeflate_floor",
            scanOnlyVsLibdeflateFloor(), TARGET_SCAN_VS_LIBDEFLATE_FLOOR));
  }

  /** Whether every full scan (ours, scan only, on refs), h5py and the floor went through the same photons, and the
   * bbox query returned the same photons from the HDF5 and the refs. */
  boolean photonCountsAgree() {
    long n = ours().photons();
    return scanOnly().photons() == n && h5py().photons() == n && floor().photons() == n
        && libdeflateFloor().photons() == n && refsFull().photons() == n
        && refsBbox().photons() == bbox().photons() && catalogFull().photons() == n
        && catalogBbox().photons() == bbox().photons();
  }

  /** Writes the run's directory under {@code resultsRoot} and indexes it; returns the directory. */
  Path write(Path resultsRoot) throws IOException {
    return RunDirectory.writeRun(resultsRoot, date + "-" + JOB, toJson(), csv(), markdown(), indexRow());
  }

  Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("job", JOB);
    root.put("provenance", provenance);
    root.put("granule", granule);
    root.put("options", options);
    Map<String, Object> ms = new LinkedHashMap<>();
    measurements.forEach((name, m) -> ms.put(name, m.toJson()));
    root.put("measurements", ms);
    Map<String, Object> ratios = new LinkedHashMap<>();
    for (Target t : targets()) {
      ratios.put(t.key(), t.ratio());
      ratios.put(t.key() + "_target", t.bound());
      ratios.put(t.key() + "_met", t.met());
    }
    ratios.put("ours_vs_inflate_floor", oursVsFloor());
    ratios.put("ours_vs_libdeflate_floor", oursVsLibdeflateFloor());
    ratios.put("scan_only_vs_h5py", scanOnlyVsH5py());
    ratios.put("libdeflate_floor_vs_inflate_floor", libdeflateFloor().photonsPerSecond() / floor().photonsPerSecond());
    ratios.put("peak_heap_bytes", peakHeap());
    ratios.put("max_heap_bytes", maxHeap());
    ratios.put("heap_target", heapTarget());
    ratios.put("launcher_help_target_seconds", TARGET_HELP_SECONDS);
    ratios.put("launcher_help", launcherTarget());
    ratios.put("refs_full_scan_vs_hdf5", refsFull().photonsPerSecond() / ours().photonsPerSecond());
    ratios.put("catalog_bbox_vs_full_scan", catalogBboxVsFullScan());
    ratios.put("catalog_bbox_vs_full_scan_target", TARGET_CATALOG_BBOX_SHARE);
    ratios.put("catalog_bbox_vs_full_scan_met", catalogBboxVsFullScan() <= TARGET_CATALOG_BBOX_SHARE);
    root.put("ratios", ratios);
    root.put("photon_counts_agree", photonCountsAgree());
    return root;
  }

  private String csv() {
    StringBuilder sb = new StringBuilder(
        "measurement,threads,median_seconds,min_seconds,max_seconds,photons,photons_per_second,bytes_read,"
            + "read_requests,chunks_decoded\n");
    for (Measurement m : measurements.values()) {
      sb.append(String.join(",", m.name(), Integer.toString(m.threads()), csvNumber(m.timings().median()),
          csvNumber(m.timings().min()), csvNumber(m.timings().max()), Long.toString(m.photons()),
          csvNumber(m.photonsPerSecond()), csvOrEmpty(m.bytesRead()), csvOrEmpty(m.readRequests()),
          csvOrEmpty(m.chunksDecoded()))).append('\n');
    }
    return sb.toString();
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# scan-bench ").append(date).append("\n\n");
    md.append(String.format(Locale.ROOT, "Granule `%s`: %,d photons, %s%s.%n%n", granule.get("path"),
        ours().photons(), mb((Long) granule.get("bytes")),
        Boolean.TRUE.equals(granule.get("generated"))
            ? String.format(Locale.ROOT, ", synthetic (%s photons per strong beam, seed %s, layout %s)",
                granule.get("photons_per_strong_beam"), granule.get("seed"), granule.get("layout"))
            : ""));
    md.append(String.format(Locale.ROOT, "Spark %s on `%s`, Java %s, %s cores, %s RAM, git %s%s; %s warm-up(s), "
            + "%s measured run(s) each (median, min, max). Every measurement reads the file from a warm page cache. "
            + "Load average (1, 5, 15 min) before the run: %s, after: %s.%n%n",
        provenance.get("spark_version"), options.get("master"), provenance.get("java_version"),
        provenance.get("cores"), gb((Long) provenance.get("memory_bytes")), provenance.get("git_sha"),
        Boolean.TRUE.equals(provenance.get("git_dirty")) ? " (uncommitted changes)" : "", options.get("warmups"),
        options.get("repetitions"), provenance.get("load_average_before"), provenance.get("load_average_after")));
    md.append("| measurement | threads | median s | min s | max s | photons | M photons/s | bytes read "
        + "| read requests | chunks decoded |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Measurement m : measurements.values()) {
      if (m == refsWrite()) {
        continue; // not a scan: its own section below
      }
      md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %,d | %.2f | %s | %s | %s |%n",
          m.name(), m.threads(), m.timings().median(), m.timings().min(), m.timings().max(), m.photons(),
          m.photonsPerSecond() / 1e6, mb(m.bytesRead()), grouped(m.readRequests()),
          grouped(m.chunksDecoded())));
    }
    md.append("\n## Targets\n\n");
    md.append("Two readings of our throughput: the **aggregate query** (`ours_full_scan`: count + sums of the five "
        + "columns, so Spark's ColumnarToRow conversion and aggregation are in the time) and **scan only** "
        + "(`ours_scan_only`: the source's columnar batches, rows counted, nothing else).\n\n");
    md.append(String.format(Locale.ROOT, "The scan's tasks inflated with **%s**.%n%n", options.get("inflater")));
    md.append("| target | measured | met |\n| --- | ---: | --- |\n");
    for (Target t : targets()) {
      md.append(String.format(Locale.ROOT, "| " + t.what() + " | %.2f× | %s |%n", t.bound(), t.ratio(),
          yesNo(t.met())));
    }
    md.append(String.format(Locale.ROOT, "%nBeside them: scan only %.2f× h5py; the aggregate query %.2f× the JDK-zlib "
        + "floor and %.2f× the libdeflate floor; libdeflate inflates %.2f× as fast as the JDK's zlib here.%n",
        scanOnlyVsH5py(), oursVsFloor(), oursVsLibdeflateFloor(),
        libdeflateFloor().photonsPerSecond() / floor().photonsPerSecond()));
    md.append(String.format(Locale.ROOT, "%nMemory: during the full scans the heap peaked at %s just before a "
            + "collection (garbage included) and held at most %s just after one, of a %s maximum heap (with a local "
            + "master the tasks run in this JVM). Target: a full scan of a ≥ %s granule completes with the heap at %s: "
            + "%s.%n", mb(peakHeap()), mb((Long) ours().details().get("live_heap_bytes")), mb(maxHeap()),
        gb(HEAP_TARGET_GRANULE_BYTES), mb(HEAP_TARGET_MAX_HEAP_BYTES), heapTarget()));
    md.append(String.format(Locale.ROOT, "%nStart: `./atl03 --help` ≤ %.1f s wall (a fresh process, nothing to "
        + "install or build): %s.%n", TARGET_HELP_SECONDS, launcherTarget()));
    Map<String, Object> b = bbox().details();
    @SuppressWarnings("unchecked")
    Map<String, Object> box = (Map<String, Object>) b.get("box");
    md.append("\n## Bbox query\n\n");
    md.append(String.format(Locale.ROOT,
        "Box lat [%.5f, %.5f], lon [%.5f, %.5f]: around the photons of %s segments of %s (from segment %s), chosen "
            + "to hold about %s of the granule's photons in that beam; neighbouring beams' photons inside it count "
            + "too.%n%n",
        box.get("south"), box.get("north"), box.get("west"), box.get("east"), box.get("segments"), box.get("beam"),
        box.get("first_segment"), pct((Double) options.get("bbox_fraction"))));
    md.append("| | value |\n| --- | ---: |\n");
    md.append(String.format(Locale.ROOT, "| wall time (median) | %.3f s |%n", bbox().timings().median()));
    md.append(String.format(Locale.ROOT, "| photons returned | %,d (%s of the granule) |%n", bbox().photons(),
        pct((Double) b.get("fraction_of_granule_photons"))));
    md.append(String.format(Locale.ROOT, "| photons decoded / kept after segment pruning | %,d / %,d |%n",
        (Long) b.get("photons_scanned"), (Long) b.get("photons_after_pruning")));
    md.append(String.format(Locale.ROOT, "| bytes read by tasks (requests) | %s (%d) |%n", mb(bbox().bytesRead()),
        bbox().readRequests()));
    md.append(String.format(Locale.ROOT, "| metadata read while planning (requests) | %s (%d) |%n",
        mb((Long) b.get("planning_bytes_read")), (Long) b.get("planning_read_requests")));
    md.append(String.format(Locale.ROOT, "| stored bytes of the chunks holding a result photon (5 datasets) | %s "
        + "(%d chunks) |%n", mb((Long) b.get("needed_chunks_stored_bytes")), (Integer) b.get("needed_chunks")));
    Double vsNeeded = (Double) b.get("bytes_read_vs_needed");
    md.append(String.format(Locale.ROOT, "| bytes read / needed | %s |%n",
        vsNeeded == null ? "–" : String.format(Locale.ROOT, "%.2f×", vsNeeded)));
    md.append(String.format(Locale.ROOT, "| bytes read / whole file | %s of %s |%n",
        pct((Double) b.get("bytes_read_vs_file")), mb((Long) b.get("file_bytes"))));
    refsSection(md);
    catalogSection(md);
    md.append("\n## Notes\n\n");
    md.append("- ours: `spark.read.format(\"atl03\")` + `count, sum` of the five columns (signal_conf_ph: its "
        + "first element), so every column is decoded; the time includes planning and Spark's aggregation.\n");
    md.append("- scan only: the BatchScanExec of `select(the five columns)` run with `executeColumnar()`, each "
        + "partition summing its batches' `numRows()`; the source decodes and copies into its column vectors "
        + "before handing a batch over, so all of its work is timed, with planning.\n");
    md.append("- refs: the granule's kerchunk references, written by `RefsWriter.convert` (what `convert --to "
        + "refs` runs) and read by `format(\"atl03\")` with the same queries; they point at the same HDF5 file, "
        + "so task reads are the same chunk ranges.\n");
    md.append("- h5py: `ds[...]` of each dataset in turn, only the reads timed; h5py (the HDF5 C library) reads on "
        + "one thread, and that is reported as is.\n");
    md.append("- inflate floors: the same stored chunks held in memory, only inflated (one reused inflater a "
        + "thread: the JDK's zlib, `inflate_floor`; libdeflate, `inflate_floor_libdeflate`) and unshuffled where the "
        + "filter mask says, on the thread count shown; no I/O, no copying into columns.\n");
    md.append(String.format(Locale.ROOT, "- photon counts agree between the full scans (aggregate, scan only, "
        + "refs), h5py and the floors, and between the bbox query on the HDF5 and on the refs: %s.%n",
        photonCountsAgree() ? "yes" : "**no**"));
    return md.toString();
  }

  private void refsSection(StringBuilder md) {
    Map<String, Object> w = refsWrite().details();
    md.append("\n## kerchunk refs\n\n");
    md.append(String.format(Locale.ROOT, "Written by `convert --to refs`'s code in %.3f s (median; min %.3f, max "
            + "%.3f): %s of JSON, %,d arrays, %,d chunk refs (%,d inlined, %,d non-numeric datasets left out).%n%n",
        refsWrite().timings().median(), refsWrite().timings().min(), refsWrite().timings().max(),
        mb((Long) w.get("json_bytes")), (Integer) w.get("arrays"), (Long) w.get("chunk_refs"),
        (Long) w.get("inlined"), (Integer) w.get("skipped_non_numeric")));
    md.append("| query | input | median s | M photons/s | photons | planning requests | planning bytes | task "
        + "requests | task bytes | chunks decoded |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Measurement m : List.of(ours(), refsFull(), bbox(), refsBbox())) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.2f | %,d | %s | %s | %s | %s | %s |%n",
          m.name().endsWith("bbox_query") ? "bbox" : "full scan", m.name().startsWith("refs") ? "refs" : "HDF5",
          m.timings().median(), m.photonsPerSecond() / 1e6, m.photons(),
          grouped((Long) m.details().get("planning_read_requests")), mb((Long) m.details().get("planning_bytes_read")),
          grouped(m.readRequests()), mb(m.bytesRead()), grouped(m.chunksDecoded())));
    }
    for (Measurement m : List.of(refsFull(), refsBbox())) {
      Map<String, Object> d = m.details();
      md.append(String.format(Locale.ROOT, "%n%s: planning read %s in %s requests, within the JSON (%s, one "
              + "request) plus the %,d stored chunks (%s) of the segment index, orbit_info and ancillary_data "
              + "datasets: %s, so no HDF5 metadata was read.",
          m.name(), mb((Long) d.get("planning_bytes_read")), grouped((Long) d.get("planning_read_requests")),
          mb((Long) d.get("refs_json_bytes")), (Long) d.get("planning_chunk_refs_readable"),
          mb((Long) d.get("planning_chunk_bytes_readable")),
          Boolean.TRUE.equals(d.get("planning_reads_only_json_and_chunks")) ? "yes" : "**no**"));
    }
    md.append("\n");
  }

  private void catalogSection(StringBuilder md) {
    md.append("\n## Through a catalog\n\n");
    md.append(String.format(Locale.ROOT, "The granule indexed by `./atl03 index` (1 M-photon windows), then the same "
        + "queries with `option(\"catalog\")`: the driver plans from the catalog's Delta table and opens no HDF5 "
        + "file.%n%n| query | planned from | median s | share of the HDF5 full scan | planning requests | task "
        + "requests | task bytes |%n| --- | --- | ---: | ---: | ---: | ---: | ---: |%n"));
    for (Measurement m : List.of(ours(), bbox(), refsBbox(), catalogFull(), catalogBbox(), catalogPoint())) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s | %s |%n",
          m.name().endsWith("bbox_query") ? "bbox" : m.name().endsWith("point_query") ? "1 m box" : "full scan",
          m.name().startsWith("refs") ? "refs" : m.name().startsWith("catalog") ? "catalog" : "HDF5",
          m.timings().median(), pct(m.timings().median() / ours().timings().median()),
          grouped((Long) m.details().get("planning_read_requests")), grouped(m.readRequests()), mb(m.bytesRead())));
    }
    md.append(String.format(Locale.ROOT, "%nTarget: the bbox through the catalog ≤ %s of the full scan's time: %s "
        + "(%s).%n", pct(TARGET_CATALOG_BBOX_SHARE), pct(catalogBboxVsFullScan()),
        yesNo(catalogBboxVsFullScan() <= TARGET_CATALOG_BBOX_SHARE)));
    md.append(String.format(Locale.ROOT, "%nThe 1 m box (%,d photons) is what any query through the catalog costs "
        + "here: planning from the catalog, then Spark's two stages (scan with partial aggregation, final "
        + "aggregation) over the windows the box touches. It takes %s of the full scan, so the bbox query's own "
        + "work is %s of it.%n", catalogPoint().photons(), pct(catalogPoint().timings().median()
        / ours().timings().median()), pct((catalogBbox().timings().median() - catalogPoint().timings().median())
        / ours().timings().median())));
  }

  private RunDirectory.IndexRow indexRow() {
    return new RunDirectory.IndexRow(JOB, String.format(Locale.ROOT, "%,d photons, %s", ours().photons(),
        mb((Long) granule.get("bytes"))),
        String.format(Locale.ROOT, "aggregate query %.1f M photons/s = %.2f× h5py (target %.1f×); scan only %.1f M "
            + "photons/s = %.2f× the JDK-zlib floor (target %.1f×), %.2f× the libdeflate floor (target %.1f×), "
            + "inflater %s; %s bbox read %s of %s; refs written in %.2f s (%s JSON), full scan on refs %.1f M "
            + "photons/s",
        ours().photonsPerSecond() / 1e6, oursVsH5py(), TARGET_VS_H5PY, scanOnly().photonsPerSecond() / 1e6,
        scanOnlyVsFloor(), TARGET_SCAN_VS_JDK_FLOOR, scanOnlyVsLibdeflateFloor(), TARGET_SCAN_VS_LIBDEFLATE_FLOOR,
        options.get("inflater"),
        pct((Double) bbox().details().get("fraction_of_granule_photons")), mb(bbox().bytesRead()),
        mb((Long) granule.get("bytes")), refsWrite().timings().median(),
        mb((Long) refsWrite().details().get("json_bytes")), refsFull().photonsPerSecond() / 1e6));
  }

  void printSummary(PrintStream out) {
    out.printf("%n%-16s %7s %9s %9s %9s %14s %12s %12s %9s %9s%n", "measurement", "threads", "median s", "min s",
        "max s", "photons", "M photons/s", "bytes read", "requests", "chunks");
    for (Measurement m : measurements.values()) {
      out.printf(Locale.ROOT, "%-16s %7d %9.3f %9.3f %9.3f %,14d %12.2f %12s %9s %9s%n", m.name(), m.threads(),
          m.timings().median(), m.timings().min(), m.timings().max(), m.photons(), m.photonsPerSecond() / 1e6,
          m.bytesRead() == null ? "-" : mb(m.bytesRead()), grouped(m.readRequests()), grouped(m.chunksDecoded()));
    }
    out.printf("the scan inflated with %s; full scans' heap peak %s of %s%n", options.get("inflater"), mb(peakHeap()),
        mb(maxHeap()));
    for (Target t : targets()) {
      out.printf(Locale.ROOT, "%-45s %.2fx (%s)%n", String.format(Locale.ROOT, t.what(), t.bound()), t.ratio(),
          t.met() ? "met" : "NOT met");
    }
    out.printf(Locale.ROOT, "refs: written in %.3f s, %s JSON; planning requests full scan %s (HDF5 %s), bbox %s "
            + "(HDF5 %s)%n", refsWrite().timings().median(), mb((Long) refsWrite().details().get("json_bytes")),
        refsFull().details().get("planning_read_requests"), ours().details().get("planning_read_requests"),
        refsBbox().details().get("planning_read_requests"), bbox().details().get("planning_read_requests"));
    Map<String, Object> b = bbox().details();
    out.printf(Locale.ROOT, "bbox: %,d photons (%s), read %s; chunks holding them store %s; file %s%n",
        bbox().photons(), pct((Double) b.get("fraction_of_granule_photons")), mb(bbox().bytesRead()),
        mb((Long) b.get("needed_chunks_stored_bytes")), mb((Long) b.get("file_bytes")));
    if (!photonCountsAgree()) {
      out.printf("WARNING: photon counts differ: ours %d, scan only %d, h5py %d, floors %d and %d, refs %d; bbox %d "
          + "vs refs %d%n", ours().photons(), scanOnly().photons(), h5py().photons(), floor().photons(),
          libdeflateFloor().photons(), refsFull().photons(), bbox().photons(), refsBbox().photons());
    }
  }

  private static String yesNo(boolean met) {
    return met ? "yes" : "**no**";
  }
}
