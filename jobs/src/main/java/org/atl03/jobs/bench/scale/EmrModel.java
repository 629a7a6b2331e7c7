package org.atl03.jobs.bench.scale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the measured rates predict on EMR in us-west-2 (docs/emr-model.md states the model and its assumptions):
 * the hackweek's five 7 GB granules scanned in full, and 10,000 granules queried with a 1 % bbox and scanned in
 * full, planned from the files and from a catalog, on clusters of a few sizes.
 *
 * <p>Inputs measured by the run: the full scan's photons per second on one executor core and the efficiency of two
 * (the larger executor-scaling set), the driver's planning time per granule from the files at 20 ms RTT (1 % bbox
 * and full scan, the largest N on S3), planning from a catalog at 20 ms (the same N) and against the simulated
 * archive (cold, 1 GB heap).
 */
final class EmrModel {

  /** A granule of the hackweek: 7 GB, ~300 M photons (26 bytes a photon, as our synthetic granules). */
  static final double HACKWEEK_GRANULE_PHOTONS = 300e6;
  static final int HACKWEEK_GRANULES = 5;
  /** The archive's mean granule as ArchiveCatalog draws it: ~72 M photons, ~1.9 GB (74 windows of 1 M a granule). */
  static final double ARCHIVE_GRANULE_PHOTONS = 72e6;
  static final int MANY_GRANULES = 10_000;
  /** Bytes the scan reads per photon (the default columns' share of a granule's ~26 bytes a photon). */
  static final double BYTES_PER_PHOTON = 16;
  /** Network of one m5.2xlarge (8 vCPU): up to 10 Gb/s, of which we count on 60 % from S3. */
  static final double NODE_BYTES_PER_SECOND = 0.6 * 10e9 / 8;
  static final int CORES_PER_NODE = 8;
  static final int[] NODES = {1, 5, 20};

  record Inputs(double photonsPerSecondPerCore, double twoCoreEfficiency, double filesPlanningPerGranuleBbox,
      double filesPlanningPerGranuleFull, double catalogPlanning, Double archivePlanning) {}

  record Row(String workload, int nodes, double photons, double planningFiles, double planningCatalog,
      double scanSeconds, String bound) {
    double totalFiles() {
      return planningFiles + scanSeconds;
    }

    double totalCatalog() {
      return planningCatalog + scanSeconds;
    }
  }

  static List<Row> rows(Inputs in) {
    List<Row> rows = new ArrayList<>();
    for (int nodes : NODES) {
      rows.add(row(in, "hackweek: 5 × 7 GB, full scan", nodes, HACKWEEK_GRANULES, HACKWEEK_GRANULES
          * HACKWEEK_GRANULE_PHOTONS, in.filesPlanningPerGranuleFull()));
      rows.add(row(in, "10,000 granules, 1 % bbox", nodes, MANY_GRANULES, 0.01 * ARCHIVE_GRANULE_PHOTONS,
          in.filesPlanningPerGranuleBbox()));
      rows.add(row(in, "10,000 granules, full scan", nodes, MANY_GRANULES, MANY_GRANULES * ARCHIVE_GRANULE_PHOTONS,
          in.filesPlanningPerGranuleFull()));
    }
    return rows;
  }

  private static Row row(Inputs in, String workload, int nodes, int granules, double photons,
      double planningPerGranule) {
    int cores = nodes * CORES_PER_NODE;
    // the driver runs on the primary node; every core of the core nodes runs an executor task
    double cpu = photons / (in.photonsPerSecondPerCore() * cores * in.twoCoreEfficiency());
    double network = photons * BYTES_PER_PHOTON / (nodes * NODE_BYTES_PER_SECOND);
    // a bbox of one granule is one or two partitions: one core does it, whatever the cluster
    double oneTask = photons < 2e6 ? photons / in.photonsPerSecondPerCore() : 0;
    double scan = Math.max(Math.max(cpu, network), oneTask);
    String bound = scan == network ? "network" : "CPU";
    return new Row(workload, nodes, photons, granules * planningPerGranule, in.catalogPlanning(), scan, bound);
  }

  static List<Map<String, Object>> toJson(Inputs in, List<Row> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", r.workload());
      m.put("core_nodes", r.nodes());
      m.put("executor_cores", r.nodes() * CORES_PER_NODE);
      m.put("photons", r.photons());
      m.put("planning_from_files_s", r.planningFiles());
      m.put("planning_from_catalog_s", r.planningCatalog());
      m.put("scan_s", r.scanSeconds());
      m.put("bound", r.bound());
      out.add(m);
    }
    return out;
  }

  static String markdown(Inputs in, List<Row> rows) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Model ([docs/emr-model.md](../../docs/emr-model.md)) from this run: full "
        + "scan %.2f M photons/s per executor core, two cores %.0f %% as efficient as one; planning from the files "
        + "at 20 ms %.3f s a granule (1 %% bbox) and %.3f s (full scan); from a catalog %.2f s%s. Assumed: "
        + "m5.2xlarge core nodes (%d vCPU, %.2f GB/s from S3 each), %.0f bytes read a photon, a 7 GB granule "
        + "300 M photons, the archive's mean granule 72 M.%n%n", in.photonsPerSecondPerCore() / 1e6,
        100 * in.twoCoreEfficiency(), in.filesPlanningPerGranuleBbox(), in.filesPlanningPerGranuleFull(),
        in.catalogPlanning(), in.archivePlanning() == null ? ""
            : String.format(Locale.ROOT, " (%.2f s against the 500,000-granule archive, cold)", in.archivePlanning()),
        CORES_PER_NODE, NODE_BYTES_PER_SECOND / 1e9, BYTES_PER_PHOTON));
    md.append("| workload | core nodes | photons | planning, files s | planning, catalog s | scan s | bound | "
        + "total, files s | total, catalog s |\n| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %.3g | %.1f | %.2f | %.1f | %s | %.1f | %.1f |%n",
          r.workload(), r.nodes(), r.photons(), r.planningFiles(), r.planningCatalog(), r.scanSeconds(), r.bound(),
          r.totalFiles(), r.totalCatalog()));
    }
    return md.toString();
  }
}
