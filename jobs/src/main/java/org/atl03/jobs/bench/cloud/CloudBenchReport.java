package org.atl03.jobs.bench.cloud;

import static org.atl03.jobs.results.Numbers.csvOrEmpty;
import static org.atl03.jobs.results.Numbers.mb;

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
import org.atl03.jobs.bench.Timings;
import org.atl03.jobs.results.RunDirectory;
import org.atl03.testing.services.LatencyProxy;

/** cloud-bench's results: results.json (with provenance), results.csv, report.md and a line in RESULTS/README.md. */
final class CloudBenchReport {

  private final LocalDate date;
  private final Map<String, Object> provenance;
  private final Map<String, Object> granule;
  private final Map<String, Object> options;
  private final List<CloudBenchCommand.Run> runs;
  private final Timings sparkFloor;
  private final double target;

  CloudBenchReport(LocalDate date, Map<String, Object> provenance, Map<String, Object> granule,
      Map<String, Object> options, List<CloudBenchCommand.Run> runs, Timings sparkFloor, double target) {
    this.date = date;
    this.provenance = provenance;
    this.granule = granule;
    this.options = options;
    this.runs = runs;
    this.sparkFloor = sparkFloor;
    this.target = target;
  }

  /** Every run read the same photons, and h_ph sums agree (float sums in different orders: 1e-6 relative). */
  boolean photonCountsAgree() {
    long photons = runs.get(0).photons();
    double sum = runs.get(0).sum();
    return runs.stream().allMatch(r -> r.photons() == photons
        && Math.abs(r.sum() - sum) <= 1e-6 * Math.max(1, Math.abs(sum)));
  }

  private Optional<CloudBenchCommand.Run> find(String reader, String store, String layout, int rtt) {
    return runs.stream().filter(r -> r.reader().equals(reader) && r.store().equals(store)
        && r.layout().equals(layout) && r.rttMs() == rtt).findFirst();
  }

  /**
   * Speed-ups over the peer at each RTT, per store and layout (refs against the peer's original): our Spark query,
   * then our reader without Spark.
   */
  List<Map<String, Object>> ratios() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (CloudBenchCommand.Run peer : runs) {
      if (!peer.reader().equals("h5py+fsspec")) {
        continue;
      }
      List<String> ourLayouts = peer.layout().equals("original") ? List.of("original", "refs") : List.of("paged");
      for (String layout : ourLayouts) {
        for (String store : List.of("http", "s3a")) {
          for (String reader : List.of("ours", CloudBenchCommand.READER)) {
            find(reader, store, layout, peer.rttMs()).ifPresent(ours -> {
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("rtt_ms", peer.rttMs());
              r.put("peer", peer.name());
              r.put("ours", ours.name());
              r.put("speedup", peer.timings().median() / ours.timings().median());
              r.put("target", target);
              out.add(r);
            });
          }
        }
      }
    }
    return out;
  }

  private Map<String, Object> json(CloudBenchCommand.Run r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("reader", r.reader());
    m.put("store", r.store());
    m.put("layout", r.layout());
    m.put("rtt_ms", r.rttMs());
    m.put("seconds", r.seconds());
    m.put("median_seconds", r.timings().median());
    m.put("photons", r.photons());
    m.put("h_ph_sum", r.sum());
    LatencyProxy.Traffic t = r.medianTraffic();
    m.put("proxy_requests", t.requests());
    m.put("proxy_bytes_down", t.bytesDown());
    m.put("proxy_bytes_up", t.bytesUp());
    m.put("proxy_connections", t.connections());
    m.put("metrics", r.metrics());
    return m;
  }

  Path write(Path resultsRoot) throws IOException {
    return RunDirectory.writeRun(resultsRoot, date + "-" + CloudBenchCommand.JOB, toJson(), csv(), markdown(),
        indexRow());
  }

  private Map<String, Object> toJson() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("provenance", provenance);
    all.put("granule", granule);
    all.put("options", options);
    all.put("runs", runs.stream().map(this::json).toList());
    all.put("ratios", ratios());
    all.put("spark_floor_seconds", sparkFloor.seconds());
    all.put("spark_floor_median_seconds", sparkFloor.median());
    all.put("photon_counts_agree", photonCountsAgree());
    return all;
  }

  private String csv() {
    StringBuilder csv = new StringBuilder("reader,store,layout,rtt_ms,median_s,min_s,max_s,photons,proxy_requests,"
        + "proxy_bytes_down,proxy_connections,read_requests,bytes_read,planning_read_requests,planning_bytes_read\n");
    for (CloudBenchCommand.Run r : runs) {
      LatencyProxy.Traffic t = r.medianTraffic();
      csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.4f,%.4f,%.4f,%d,%d,%d,%d,%s,%s,%s,%s%n", r.reader(),
          r.store(), r.layout(), r.rttMs(), r.timings().median(), r.timings().min(), r.timings().max(), r.photons(),
          t.requests(), t.bytesDown(), t.connections(), metric(r, "readRequests"), metric(r, "bytesRead"),
          metric(r, "planningReadRequests"), metric(r, "planningBytesRead")));
    }
    return csv.toString();
  }

  private static String metric(CloudBenchCommand.Run r, String name) {
    return csvOrEmpty(r.metrics().get(name));
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# cloud-bench ").append(date).append("\n\n");
    md.append(String.format(Locale.ROOT, "One beam's `h_ph` (%s) of %s (%s; paged copy %s; refs %s), read over a "
            + "latency proxy on loopback. Ours: `format(\"atl03\")` count + sum of `h_ph` of one beam on Spark %s "
            + "(planning included). Ours-reader: the same planner and partition readers without Spark, the "
            + "partitions on 2 threads (`LocalScan.sum`). Spark's own cost of the query's shape with no I/O "
            + "(count + sum over 2 M rows of `spark.range`, same session): median %.3f s. Peer: h5py + fsspec http, `cache_type='block'`, %s-byte blocks, a fresh process "
            + "per run. Requests, bytes and connections are counted at the proxy, the same for every reader; "
            + "planning = our driver's metadata reads. %s warm-up(s), median of %s run(s).%n%n",
        options.get("dataset"), granule.get("file"), mb((Long) granule.get("bytes")),
        mb((Long) granule.get("paged_bytes")), mb((Long) granule.get("refs_bytes")), provenance.get("spark_master"),
        sparkFloor.median(),
        options.get("fsspec_block_size"), options.get("warmups"), options.get("repetitions")));
    md.append("| reader | store | layout | RTT ms | median s | min s | max s | photons | requests | MB down "
        + "| connections | planning requests | planning MB |\n");
    md.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (CloudBenchCommand.Run r : runs) {
      LatencyProxy.Traffic t = r.medianTraffic();
      Long planningBytes = r.metrics().get("planningBytesRead");
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.3f | %.3f | %,d | %,d | %.2f | %d | %s | %s |%n",
          r.reader(), r.store(), r.layout(), r.rttMs(), r.timings().median(), r.timings().min(), r.timings().max(),
          r.photons(), t.requests(), t.bytesDown() / 1e6, t.connections(),
          Optional.ofNullable(r.metrics().get("planningReadRequests")).map(String::valueOf).orElse("-"),
          planningBytes == null ? "-" : String.format(Locale.ROOT, "%.3f", planningBytes / 1e6)));
    }
    md.append("\n## Speed-up over h5py + fsspec (median time ratio)\n\n| RTT ms | peer | ours | speed-up | target "
        + "met |\n| ---: | --- | --- | ---: | --- |\n");
    for (Map<String, Object> r : ratios()) {
      double s = (Double) r.get("speedup");
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %.2f× | %s |%n", (Integer) r.get("rtt_ms"), r.get("peer"),
          r.get("ours"), s, s >= target ? "yes (≥ " + target + "×)" : "**no** (target " + target + "×)"));
    }
    md.append("\nPhoton counts and h_ph sums agree across all runs: ").append(photonCountsAgree() ? "yes" : "**NO**")
        .append(".\n\nMachine load before the run: ").append(provenance.get("load_average_before")).append(".\n");
    return md.toString();
  }

  private RunDirectory.IndexRow indexRow() {
    StringBuilder summary = new StringBuilder("one beam's h_ph over a latency proxy: ");
    for (Map<String, Object> r : ratios()) {
      if (((String) r.get("ours")).startsWith("ours/http/")) {
        summary.append(String.format(Locale.ROOT, "%s %d ms %.2f× h5py+fsspec; ",
            ((String) r.get("ours")).replaceAll("^ours/http/|@.*$", ""), (Integer) r.get("rtt_ms"),
            (Double) r.get("speedup")));
      }
    }
    summary.append(String.format(Locale.ROOT, "target %.0f× at 20 ms", target));
    return new RunDirectory.IndexRow(CloudBenchCommand.JOB, mb((Long) granule.get("bytes")), summary.toString());
  }

  void printSummary(PrintStream out) {
    out.printf("%n%-36s %9s %9s %12s %10s %11s%n", "run", "median s", "requests", "MB down", "conns", "planning");
    for (CloudBenchCommand.Run r : runs) {
      LatencyProxy.Traffic t = r.medianTraffic();
      out.printf(Locale.ROOT, "%-36s %9.3f %9d %12.2f %10d %11s%n", r.name(), r.timings().median(), t.requests(),
          t.bytesDown() / 1e6, t.connections(), Optional.ofNullable(r.metrics().get("planningReadRequests"))
              .map(String::valueOf).orElse("-"));
    }
    for (Map<String, Object> r : ratios()) {
      out.printf(Locale.ROOT, "%-40s vs %-36s %.2fx%n", r.get("ours"), r.get("peer"), (Double) r.get("speedup"));
    }
    if (!photonCountsAgree()) {
      out.println("WARNING: photon counts or h_ph sums differ between runs");
    }
  }
}
