package org.atl03.jobs.bench.convert;

import static org.atl03.jobs.results.Numbers.csvNumber;
import static org.atl03.jobs.results.Numbers.gb;
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
import java.util.TreeMap;
import org.atl03.jobs.bench.Timings;
import org.atl03.jobs.results.RunDirectory;

/** A convert-bench run: results.json, results.csv, report.md and a line of the results index. */
final class ConvertBenchReport {

  static final String JOB = "convert-bench";

  /** The original (convertSeconds null) or one format: conversion, output size, and the bbox query on it. */
  record Row(String format, Double convertSeconds, long bytes, List<String> convertOutput,
      Timings.Measured<ConvertBenchCommand.QueryRun> query, BboxPruning pruning) {
    ConvertBenchCommand.QueryRun run() {
      return query.value();
    }
  }

  private final LocalDate date;
  private final Map<String, Object> provenance;
  private final Map<String, Object> granule;
  private final Map<String, Object> options;
  private final Map<String, Object> box;
  private final List<Row> rows;

  ConvertBenchReport(LocalDate date, Map<String, Object> provenance, Map<String, Object> granule,
      Map<String, Object> options, Map<String, Object> box, List<Row> rows) {
    this.date = date;
    this.provenance = provenance;
    this.granule = granule;
    this.options = options;
    this.box = box;
    this.rows = List.copyOf(rows);
  }

  private Row original() {
    return rows.get(0);
  }

  private long granuleBytes() {
    return (Long) granule.get("bytes");
  }

  private long granulePhotons() {
    return (Long) granule.get("photons");
  }

  /** Whether every format's bbox query returned the original's photon count. */
  boolean bboxPhotonsAgree() {
    return rows.stream().allMatch(r -> r.run().photons() == original().run().photons());
  }

  Path write(Path resultsRoot) throws IOException {
    return RunDirectory.writeRun(resultsRoot, date + "-" + JOB, toJson(), csv(), markdown(), indexRow());
  }

  Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("job", JOB);
    root.put("provenance", provenance);
    root.put("granule", granule);
    root.put("options", options);
    root.put("bbox", box);
    Map<String, Object> formats = new LinkedHashMap<>();
    for (Row r : rows) {
      Map<String, Object> f = new LinkedHashMap<>();
      if (r.convertSeconds() != null) {
        Map<String, Object> conversion = new LinkedHashMap<>();
        conversion.put("seconds", r.convertSeconds());
        conversion.put("photons_per_second", granulePhotons() / r.convertSeconds());
        conversion.put("output", r.convertOutput());
        f.put("conversion", conversion);
      }
      f.put("bytes", r.bytes());
      f.put("bytes_vs_original", (double) r.bytes() / granuleBytes());
      Map<String, Object> q = new LinkedHashMap<>();
      Timings t = r.query().timings();
      q.put("seconds", t.seconds());
      q.put("median_seconds", t.median());
      q.put("min_seconds", t.min());
      q.put("max_seconds", t.max());
      q.put("photons", r.run().photons());
      q.put("fraction_of_granule_photons", (double) r.run().photons() / granulePhotons());
      q.put("bytes_read", r.run().bytesRead());
      q.put("read_ops", r.run().readOps());
      q.put("bytes_read_vs_output", r.bytes() == 0 ? null : (double) r.run().bytesRead() / r.bytes());
      q.put("pruning", r.pruning().toJson());
      q.put("scan_metrics", new TreeMap<>(r.run().scanMetrics()));
      f.put("bbox_query", q);
      formats.put(r.format(), f);
    }
    root.put("formats", formats);
    root.put("bbox_photons_agree", bboxPhotonsAgree());
    return root;
  }

  private String csv() {
    StringBuilder s = new StringBuilder("format,convert_seconds,convert_photons_per_second,bytes,bytes_vs_original,"
        + "bbox_median_seconds,bbox_photons,bbox_bytes_read,bbox_read_ops,bbox_rows_scanned,bbox_pruning\n");
    for (Row r : rows) {
      s.append(String.join(",", r.format(), r.convertSeconds() == null ? "" : csvNumber(r.convertSeconds()),
          r.convertSeconds() == null ? "" : csvNumber(granulePhotons() / r.convertSeconds()),
          Long.toString(r.bytes()), csvNumber((double) r.bytes() / granuleBytes()),
          csvNumber(r.query().timings().median()),
          Long.toString(r.run().photons()), Long.toString(r.run().bytesRead()), Long.toString(r.run().readOps()),
          r.pruning().rowsScanned() == null ? "" : Long.toString(r.pruning().rowsScanned()),
          "\"" + r.pruning().summary() + "\""))
          .append('\n');
    }
    return s.toString();
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# convert-bench ").append(date).append("\n\n");
    md.append(String.format(Locale.ROOT, "Granule: `%s`, %,d photons, %s (%s).%n%n", granule.get("path"),
        granulePhotons(), mb(granuleBytes()), Boolean.TRUE.equals(granule.get("generated"))
            ? "synthetic, " + granule.get("photons_per_strong_beam") + " photons per strong beam, seed "
                + granule.get("seed")
            : "given"));
    md.append(String.format(Locale.ROOT, "Machine: %s cores, %s; Spark %s on %s; git %s%s; load average %s → %s.%n%n",
        provenance.get("cores"), gb((Long) provenance.get("memory_bytes")), provenance.get("spark_version"),
        provenance.get("spark_master"), provenance.get("git_sha"),
        Boolean.TRUE.equals(provenance.get("git_dirty")) ? " (dirty)" : "", provenance.get("load_average_before"),
        provenance.get("load_average_after")));
    md.append(String.format(Locale.ROOT,
        "bbox query: lat [%.5f, %.5f], lon [%.5f, %.5f] (around %s segments of %s), filter + sum of %s; %d warm-up, "
            + "%d measured runs, median shown.%n%n",
        box.get("south"), box.get("north"), box.get("west"), box.get("east"), box.get("segments"), box.get("beam"),
        options.get("query_columns"), options.get("warmups"), options.get("repetitions")));
    md.append("| format | conversion s | conversion M photons/s | bytes | vs original | bbox s | bbox photons | "
        + "bbox bytes read | read ops |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %.3f | %,d (%s) | %s | %,d |%n", r.format(),
          r.convertSeconds() == null ? "–" : String.format(Locale.ROOT, "%.2f", r.convertSeconds()),
          r.convertSeconds() == null ? "–"
              : String.format(Locale.ROOT, "%.2f", granulePhotons() / r.convertSeconds() / 1e6),
          mb(r.bytes()), (double) r.bytes() / granuleBytes(), r.query().timings().median(), r.run().photons(),
          pct((double) r.run().photons() / granulePhotons()), mb(r.run().bytesRead()), r.run().readOps()));
    }
    md.append("\nbbox pruning: what each format read of its data for the query, in the units it prunes by.\n\n");
    md.append("| format | read of total | rows scanned | photons returned | bytes read |\n");
    md.append("| --- | --- | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %s |%n", r.format(), r.pruning().summary(),
          r.pruning().rowsScanned() == null ? "–" : String.format(Locale.ROOT, "%,d", r.pruning().rowsScanned()),
          r.run().photons(), mb(r.run().bytesRead())));
    }
    md.append("\nHow it was measured:\n\n");
    md.append("- conversion: one run of the target's `convert` (as `./atl03 convert --to NAME`), wall time; photons/s "
        + "= granule photons / that time. bytes = every file under the target's output directory; `refs` outputs "
        + "reference the original's chunks, so reading them also needs the original HDF5.\n");
    md.append("- bbox bytes read: Hadoop `FileSystem` statistics of the `file` scheme (bytesRead, readOps), diffed "
        + "around the query, in this JVM (local Spark: the tasks too) — the same counter for every format, including "
        + "metadata, index and checksum (.crc) reads.\n");
    md.append("- pruning: HDF5 and refs, the photons in the chunks the `atl03` scan decoded (`photonsScanned`); "
        + "FlatGeobuf, the features our reader decoded (`featuresRead`); GeoParquet and Delta, the files the scan "
        + "opened (`numFiles`) and the row groups whose lat_ph/lon_ph statistics intersect the box (those Parquet "
        + "keeps; rows scanned, the scan's `numOutputRows` before Spark's filter, are no more than their rows — "
        + "fewer where Parquet's column indexes skip pages inside them: "
        + (rows.stream().map(Row::pruning).allMatch(p -> !Boolean.FALSE.equals(p.scanWithinRowGroups()))
            ? "yes" : "**no**") + "). Every scan metric is in results.json, `formats.*.bbox_query.scan_metrics`.\n");
    md.append(String.format("- bbox photon counts agree with the original for every format: %s.%n",
        bboxPhotonsAgree() ? "yes" : "**no**"));
    return md.toString();
  }

  private RunDirectory.IndexRow indexRow() {
    StringBuilder summary = new StringBuilder();
    for (Row r : rows) {
      if (r.convertSeconds() == null) {
        summary.append(String.format(Locale.ROOT, "bbox %s: original read %s", pct((double) r.run().photons()
            / granulePhotons()), mb(r.run().bytesRead())));
      } else {
        summary.append(String.format(Locale.ROOT, "; %s %.2f M photons/s, %.2f× size, bbox read %s", r.format(),
            granulePhotons() / r.convertSeconds() / 1e6, (double) r.bytes() / granuleBytes(),
            mb(r.run().bytesRead())));
      }
    }
    return new RunDirectory.IndexRow(JOB, String.format(Locale.ROOT, "%,d photons, %s", granulePhotons(),
        mb(granuleBytes())), summary.toString());
  }

  void printSummary(PrintStream out) {
    out.printf("%n%-12s %12s %14s %12s %8s %9s %12s %14s %9s%n", "format", "convert s", "M photons/s", "bytes",
        "vs orig", "bbox s", "bbox photons", "bbox read", "read ops");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "%-12s %12s %14s %12s %8.3f %9.3f %,12d %14s %,9d%n", r.format(),
          r.convertSeconds() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.convertSeconds()),
          r.convertSeconds() == null ? "-"
              : String.format(Locale.ROOT, "%.2f", granulePhotons() / r.convertSeconds() / 1e6),
          mb(r.bytes()), (double) r.bytes() / granuleBytes(), r.query().timings().median(), r.run().photons(),
          mb(r.run().bytesRead()), r.run().readOps());
    }
    if (!bboxPhotonsAgree()) {
      out.println("WARNING: bbox photon counts differ between formats");
    }
  }
}
