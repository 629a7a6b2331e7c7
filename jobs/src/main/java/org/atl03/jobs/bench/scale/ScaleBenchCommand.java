package org.atl03.jobs.bench.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.SparkOptions;
import org.atl03.jobs.bench.BboxChoice;
import org.atl03.jobs.bench.Directories;
import org.atl03.jobs.bench.Provenance;
import org.atl03.testing.services.LatencyProxy;
import org.atl03.testing.services.S3Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * How planning scales with the number of granules: for N granules, planning a 1 % bbox and a full scan from the
 * granules' files against planning them from a catalog, on local disk and on S3 behind a latency proxy; and what
 * building the catalog costs. Writes results/DATE-scale-bench/.
 */
@Command(
    name = "scale-bench",
    mixinStandardHelpOptions = true,
    description = {
      "Planning over many granules, from their files and from a catalog (./atl03 index), all measured in one run:",
      "  small synthetic granules are generated once (--work) and the first N of them used for each --granules N;",
      "  the catalog of the N granules is built (time, size);",
      "  a ~1 %% bbox of one granule and a full scan are planned (timed apart from the query) from the files and",
      "    from the catalog, on local disk, then with the granules and the catalog on a local S3 server behind a",
      "    proxy adding --rtt ms per round trip (0: skipped): time, driver requests, catalog files read;",
      "  the full scan of --cluster-granules N of them, and of --cluster-large-granules larger ones, on the loopback",
      "    standalone cluster (bin/standalone-cluster --scaling) with 1 executor and with 2: executor scaling;",
      "  a catalog of --archive-granules synthetic archive granules (synthesized once), against which a 1 %% bbox +",
      "    1 month query is planned in a JVM of 1 GB heap, cold and warm.",
      "Runs on local[2] unless --master is given. Writes RESULTS/<date>-scale-bench/ with charts."
    })
public final class ScaleBenchCommand implements Callable<Integer> {

  @Option(names = "--granules", split = ",", defaultValue = "1,10,100,1000",
      description = "Numbers of granules (default: ${DEFAULT-VALUE}).")
  List<Integer> counts;

  @Option(names = "--photons-per-strong-beam", defaultValue = "2000",
      description = "Photons per strong beam of each generated granule (default: ${DEFAULT-VALUE}).")
  long photonsPerStrongBeam;

  @Option(names = "--seed", defaultValue = "16", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rtt", defaultValue = "20",
      description = "Round-trip time of the S3 runs in ms (default: ${DEFAULT-VALUE}; 0: no S3 runs).")
  int rttMs;

  @Option(names = "--rtt-max-granules", defaultValue = "1000",
      description = "Largest N also run on S3 (default: ${DEFAULT-VALUE}).")
  int rttMaxGranules;

  @Option(names = "--cluster-granules", split = ",", defaultValue = "10,100,1000",
      description = "Numbers of the small granules also scanned in full on the standalone cluster with 1 and 2 "
          + "executors (default: ${DEFAULT-VALUE}; 0: none).")
  List<Integer> clusterCounts;

  @Option(names = "--cluster-large-granules", defaultValue = "8",
      description = "Larger granules scanned in full on the standalone cluster with 1 and 2 executors (default: "
          + "${DEFAULT-VALUE}; 0: none); generated once.")
  int clusterLarge;

  @Option(names = "--cluster-large-photons-per-strong-beam", defaultValue = "1000000",
      description = "Photons per strong beam of each larger granule (default: ${DEFAULT-VALUE}).")
  long clusterLargePhotons;

  @Option(names = "--archive-granules", defaultValue = "500000",
      description = "Granules of the synthetic archive catalog (default: ${DEFAULT-VALUE}; 0: none).")
  int archiveGranules;

  @Option(names = "--archive-month", defaultValue = "2021-06",
      description = "The archive query's month, whose windows carry chunk manifests (default: ${DEFAULT-VALUE}).")
  java.time.YearMonth archiveMonth;

  @Option(names = "--work", defaultValue = "work/scale-bench",
      description = "Generated granules are kept here, catalogs written below (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--results", defaultValue = "results",
      description = "Results root: the run goes to RESULTS/<date>-scale-bench/ (default: ${DEFAULT-VALUE}).")
  Path results;

  @Option(names = "--warmups", defaultValue = "1", description = "Warm-up runs per query (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--repetitions", defaultValue = "3",
      description = "Measured runs per query (default: ${DEFAULT-VALUE}); the median is reported.")
  int repetitions;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand Atl03 atl03;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1) || repetitions < 1 || warmups < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--granules must be positive, --repetitions >= 1, --warmups >= 0");
    }
    List<Integer> clusterSets = clusterCounts.stream().filter(n -> n > 0).toList();
    int largest = Stream.concat(counts.stream(), clusterSets.stream()).mapToInt(Integer::intValue).max()
        .orElseThrow();
    List<Path> pool = GranulePool.obtain(work.toAbsolutePath(), largest, photonsPerStrongBeam, seed, out);
    BboxChoice.Box box = BboxChoice.choose(pool.get(0), "gt1l", onePercent(pool.get(0)));
    out.printf("== bbox on %s: lat [%.5f, %.5f] lon [%.5f, %.5f]%n", pool.get(0).getFileName(), box.south(),
        box.north(), box.west(), box.east());

    List<ScaleBenchReport.Build> builds = new ArrayList<>();
    List<PlanningRun> runs = new ArrayList<>();
    Map<String, Object> provenance;
    ArchiveRun archive = null;
    String master = spark.masterOr(spec, "local[2]");
    try (SparkSession session = spark.session("atl03 scale-bench", master)) {
      provenance = Provenance.collect(atl03.root(), session.version(), session.sparkContext().master(),
          spec.commandLine().getParseResult().originalArgs());
      String allowed = pool.get(0).getParent().toUri().toString();
      for (int n : counts) {
        List<String> files = pool.subList(0, n).stream().map(p -> p.toUri().toString()).toList();
        Path catalog = work.toAbsolutePath().resolve("catalog-" + n);
        builds.add(build(session, n, files, pool.subList(0, n), catalog, out));
        for (BboxChoice.Box query : new BboxChoice.Box[] {box, null}) {
          for (String from : new String[] {null, catalog.toString()}) {
            runs.add(report(out, PlanningRun.measure(session, "local", n, files, from, allowed, query, warmups,
                repetitions)));
          }
        }
      }
      if (rttMs > 0) {
        runs.addAll(onS3(session, pool, box, out));
      }
      if (archiveGranules > 0) {
        Path template = GranulePool.obtain(work.toAbsolutePath(), Math.max(1, clusterLarge), clusterLargePhotons,
            seed, out).get(0);
        archive = ArchiveRun.measure(session, work.toAbsolutePath(), new ArchiveCatalog.Spec(archiveGranules, seed,
            CatalogIndexer.Options.DEFAULT.windowPhotons(), archiveMonth), template, repetitions, out);
      }
      provenance.put("load_average_after", Provenance.loadAverage());
    }
    List<ExecutorScaling> scaling = new ArrayList<>();
    for (int n : clusterSets) {
      scaling.add(ExecutorScaling.measure(atl03.root(), pool.subList(0, n), photonsPerStrongBeam,
          work.toAbsolutePath().resolve("cluster-" + n), warmups, repetitions, out));
    }
    if (clusterLarge > 0) {
      List<Path> large = GranulePool.obtain(work.toAbsolutePath(), clusterLarge, clusterLargePhotons, seed, out);
      scaling.add(ExecutorScaling.measure(atl03.root(), large, clusterLargePhotons,
          work.toAbsolutePath().resolve("cluster-large-" + clusterLarge), warmups, repetitions, out));
    }
    provenance.put("load_average_after_cluster", Provenance.loadAverage());
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("granules", counts);
    options.put("photons_per_strong_beam", photonsPerStrongBeam);
    options.put("seed", seed);
    options.put("rtt_ms", rttMs);
    options.put("rtt_max_granules", rttMaxGranules);
    options.put("master", master);
    options.put("warmups", warmups);
    options.put("repetitions", repetitions);
    options.put("box", box.describe());
    options.put("cluster_granules", clusterSets);
    options.put("cluster_large_granules", clusterLarge);
    options.put("cluster_large_photons_per_strong_beam", clusterLargePhotons);
    options.put("archive_granules", archiveGranules);
    options.put("archive_month", archiveMonth.toString());
    ScaleBenchReport report = new ScaleBenchReport(LocalDate.now(), provenance, options, builds, runs, scaling,
        archive);
    Path dir = report.write(results, out);
    report.printSummary(out);
    out.printf("results in %s%n", dir);
    return 0;
  }

  private long onePercent(Path granule) {
    // the granule's photons are six beams' of about photonsPerStrongBeam (strong) and a quarter of it (weak)
    return Math.max(1, Math.round(photonsPerStrongBeam * 3 * 1.25 * 0.01));
  }

  private ScaleBenchReport.Build build(SparkSession session, int n, List<String> files, List<Path> granules,
      Path catalog, PrintStream out) throws IOException {
    Directories.delete(catalog);
    long started = System.nanoTime();
    CatalogIndexer.Report r = CatalogIndexer.index(session, files, catalog.toString(), CatalogIndexer.Options.DEFAULT,
        session.sessionState().newHadoopConf());
    double seconds = (System.nanoTime() - started) / 1e9;
    long granuleBytes = 0;
    for (Path g : granules) {
      granuleBytes += Files.size(g);
    }
    ScaleBenchReport.Build b = new ScaleBenchReport.Build(n, seconds, r.windows(), Directories.bytes(catalog),
        granuleBytes, r.skipped().size());
    out.printf("== N=%d: catalog built in %.2f s (%.0f granules/min), %d windows, %s bytes (%.3f %% of the "
        + "granules')%n", n, seconds, b.granulesPerMinute(), r.windows(), b.catalogBytes(), 100 * b.sizeRatio());
    return b;
  }

  private static PlanningRun report(PrintStream out, PlanningRun r) {
    out.printf("   %-6s N=%-5d %-9s from %-7s planning %.3f s (query %.3f s), %d driver requests, %d catalog "
        + "files, %d photons%n", r.store(), r.granules(), r.query(), r.source(), r.planning().median(),
        r.whole().median(), r.metric("planningReadRequests"), r.metric("catalogFilesRead"), r.photons());
    return r;
  }

  /**
   * The same queries with the granules and the catalogs on a local S3 server behind the latency proxy: each N's
   * granules under their own prefix (listed as a directory), its catalog built from those URLs, then uploaded.
   */
  private List<PlanningRun> onS3(SparkSession session, List<Path> pool, BboxChoice.Box box, PrintStream out)
      throws Exception {
    List<PlanningRun> runs = new ArrayList<>();
    Path s3dir = work.toAbsolutePath().resolve("s3");
    Directories.delete(s3dir);
    Configuration hadoop = session.sparkContext().hadoopConfiguration();
    try (S3Server s3 = S3Server.start(s3dir);
        LatencyProxy proxy = LatencyProxy.start(s3.port(), Duration.ofMillis(rttMs))) {
      for (int n : counts) {
        if (n > rttMaxGranules) {
          continue;
        }
        out.printf("== S3, RTT %d ms, N=%d: uploading%n", rttMs, n);
        List<String> urls = new ArrayList<>();
        for (Path g : pool.subList(0, n)) {
          urls.add(s3.upload(g, "sets/" + n + "/" + g.getFileName()));
        }
        FileSystem.closeAll();
        s3.configure(hadoop); // no latency while indexing and uploading: the catalog's build is measured locally
        Path local = work.toAbsolutePath().resolve("s3-catalog-" + n);
        Directories.delete(local);
        CatalogIndexer.index(session, urls, local.toString(), CatalogIndexer.Options.DEFAULT, hadoop);
        try (Stream<Path> walk = Files.walk(local)) {
          // all of the table (Delta's own NNN.crc checksums too), not the local file system's hidden .NAME.crc files
          for (Path f : walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
              .toList()) {
            s3.upload(f, "catalogs/" + n + "/" + local.relativize(f));
          }
        }
        FileSystem.closeAll();
        s3.configure(hadoop, "http://127.0.0.1:" + proxy.port());
        String dir = s3.url("sets/" + n + "/");
        String catalog = s3.url("catalogs/" + n);
        for (BboxChoice.Box query : new BboxChoice.Box[] {box, null}) {
          runs.add(report(out, PlanningRun.measure(session, "s3-" + rttMs + "ms", n, List.of(dir), null, dir, query,
              warmups, repetitions)));
          runs.add(report(out, PlanningRun.measure(session, "s3-" + rttMs + "ms", n, List.of(dir), catalog, dir,
              query, warmups, repetitions)));
        }
      }
    } finally {
      FileSystem.closeAll();
    }
    return runs;
  }
}
