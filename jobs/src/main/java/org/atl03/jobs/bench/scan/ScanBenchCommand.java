package org.atl03.jobs.bench.scan;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.hdf5.ZlibInflate;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.kerchunk.RefsWriter;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.SparkOptions;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.jobs.bench.BboxChoice;
import org.atl03.jobs.bench.Directories;
import org.atl03.jobs.bench.HeapPeak;
import org.atl03.jobs.bench.BenchColumns;
import org.atl03.jobs.bench.BenchOptions;
import org.atl03.jobs.bench.Provenance;
import org.atl03.jobs.bench.Timings;
import org.atl03.jobs.convert.RefsConversion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The scan benchmark: our source's full scan against h5py and against the inflate-only floor, and a ~1 % bbox
 * query's bytes against the bytes it needs, on one granule; writes results/DATE-scan-bench/.
 */
@Command(
    name = "scan-bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the atl03 source on one granule (synthetic unless --granule is given), all measured in one run:",
      "  full scan of lat_ph, lon_ph, h_ph, delta_time, signal_conf_ph of all six beams (ours, on Spark): an",
      "    aggregation of the five columns, and 'scan only' (the source's columnar batches, rows counted);",
      "  h5py reading the same datasets (single-threaded, as h5py is);",
      "  the inflate-only floors: the same chunks, already in memory, inflated (the JDK's zlib; libdeflate) and",
      "    unshuffled on --floor-threads; the report names the inflater the scan used;",
      "  a ~1 %% bbox query: wall time, photons, bytes read vs. the stored bytes of the chunks it needs;",
      "  kerchunk refs of the granule (as convert --to refs writes them, into WORK/refs/): write time and size,",
      "    then the full scan and the bbox query on the refs, with planning and task reads beside the HDF5's.",
      "Runs on local[2] unless --master is given. Writes results.json, results.csv and report.md to",
      "RESULTS/<date>-scan-bench/ and indexes the run in RESULTS/README.md."
    })
public final class ScanBenchCommand implements Callable<Integer> {


  @Option(names = "--floor-threads", defaultValue = "0",
      description = "Threads of the inflate floor (default: Spark's default parallelism, 2 on local[2]).")
  int floorThreads;

  @Option(names = "--launcher-runs", defaultValue = "5",
      description = "Timed runs of `./atl03 --help` (target: <= 1 s wall); 0 skips them (default: ${DEFAULT-VALUE}).")
  int launcherRuns;

  @Mixin BenchOptions bench;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand Atl03 atl03;

  @Override
  public Integer call() throws Exception {
    bench.validate(spec);
    PrintStream out = System.out;
    List<String> beams = Atl03Granule.BEAMS;
    List<String> columns = BenchColumns.SCANNED;

    Path file = bench.granuleFile(out);
    long fileBytes = Files.size(file);

    String master = spark.masterOr(spec, BenchOptions.DEFAULT_MASTER);
    ScanBenchReport report;
    try (SparkSession session = spark.session("atl03 scan-bench", master)) {
      // provenance before anything is written, so git_dirty describes the code that ran
      Map<String, Object> provenance = Provenance.collect(atl03.root(), session.version(),
          session.sparkContext().master(), spec.commandLine().getParseResult().originalArgs());
      int threads = floorThreads > 0 ? floorThreads : session.sparkContext().defaultParallelism();
      OurScan ours = new OurScan(session, file);

      out.printf("== ours: full scan of %s, %d beams (%d warm-up, %d runs)%n", columns, beams.size(), bench.warmups(),
          bench.repetitions());
      Timings.Measured<OurScan.Result> full;
      HeapPeak heap = HeapPeak.watch();
      try (heap) {
        full = bench.measure(ours::fullScan);
      }
      Measurement oursFull = ours(full, "ours_full_scan", "full scan on Spark " + session.sparkContext().master()
          + ": count + sums of the five columns", session.sparkContext().defaultParallelism());
      oursFull.details().put("peak_heap_bytes", heap.peakBytes());
      oursFull.details().put("live_heap_bytes", heap.liveBytes());

      out.println("== h5py: same datasets, whole, one thread");
      H5pyScan.Result h5py = H5pyScan.run(file, beams, columns, bench.warmups(), bench.repetitions());
      Map<String, Object> h5pyDetails = new LinkedHashMap<>();
      h5pyDetails.put("versions", h5py.report());
      Measurement h5pyFull = new Measurement("h5py_full_scan", "h5py ds[...] of each dataset, reads only timed", 1,
          h5py.timings(), h5py.photons(), null, null, null, h5pyDetails);

      out.printf("== inflate floors: loading the chunks, then inflate + unshuffle on %d threads%n", threads);
      List<Measurement> floors = inflateFloors(file, beams, columns, threads);
      Measurement floor = floors.get(0);
      Measurement libdeflateFloor = floors.get(1);

      out.println("== ours: scan only (columnar batches of the scan node, rows counted)");
      Measurement oursScanOnly = scanOnly(bench.measure(ours::scanOnly),
          "ours_scan_only", "scan node executed columnar, rows of its batches counted: no row conversion, no "
              + "aggregation", session.sparkContext().defaultParallelism());

      BboxChoice.Box box = calibratedBox(ours, file, oursFull.photons());
      out.printf("== bbox: lat [%.5f, %.5f] lon [%.5f, %.5f] around %d segments of %s%n", box.south(), box.north(),
          box.west(), box.east(), box.segments(), box.beam());
      Timings.Measured<OurScan.Result> bbox = bench.measure(() -> ours.bbox(box));
      BboxChoice.Touched touched = BboxChoice.touchedChunks(file, ours.bboxPhotonIndexes(box), columns);
      int sparkThreads = session.sparkContext().defaultParallelism();
      Measurement bboxQuery = bbox(bbox, "ours_bbox_query", box, touched, fileBytes, oursFull.photons(), sparkThreads);

      Path refsFile = bench.work().resolve("refs").resolve(file.getFileName().toString().replaceFirst("\\.[^.]+$", "")
          + ".json");
      out.printf("== refs: convert --to refs into %s%n", refsFile);
      Measurement refsWrite = refsWrite(file, refsFile, oursFull.photons());
      // the refs live under WORK, the granule may be elsewhere: allow reading it (default: the refs' directory)
      session.conf().set(HadoopSettings.REFS_ALLOWED_PREFIXES, file.toAbsolutePath().getParent().toUri().toString());
      OurScan onRefs = new OurScan(session, refsFile);
      out.println("== refs: full scan");
      Measurement refsFull = ours(bench.measure(onRefs::fullScan), "refs_full_scan",
          "full scan of the refs on Spark " + session.sparkContext().master(), sparkThreads);
      refsFull.details().putAll(RefsPlanning.of(refsFile, refsFull));
      out.println("== refs: bbox query");
      Measurement refsBbox = bbox(bench.measure(() -> onRefs.bbox(box)), "refs_bbox_query",
          box, touched, fileBytes, oursFull.photons(), sparkThreads);
      refsBbox.details().putAll(RefsPlanning.of(refsFile, refsBbox));
      session.conf().unset(HadoopSettings.REFS_ALLOWED_PREFIXES);

      Path catalog = bench.work().resolve("catalog").resolve(file.getFileName().toString()
          .replaceFirst("\\.[^.]+$", ""));
      out.printf("== catalog: ./atl03 index into %s%n", catalog);
      Directories.delete(catalog);
      CatalogIndexer.index(session, List.of(file.toAbsolutePath().toUri().toString()), catalog.toString(),
          CatalogIndexer.Options.DEFAULT, session.sessionState().newHadoopConf());
      OurScan onCatalog = OurScan.ofCatalog(session, catalog,
          file.toAbsolutePath().getParent().toUri().toString());
      out.println("== catalog: full scan");
      Measurement catalogFull = ours(bench.measure(onCatalog::fullScan), "catalog_full_scan",
          "full scan planned from the catalog on Spark " + session.sparkContext().master(), sparkThreads);
      out.println("== catalog: bbox query");
      Measurement catalogBbox = bbox(bench.measure(() -> onCatalog.bbox(box)), "catalog_bbox_query",
          box, touched, fileBytes, oursFull.photons(), sparkThreads);
      out.println("== catalog: the same query on a 1 m box (what any query through the catalog costs)");
      BboxChoice.Box point = box.centre(1);
      Measurement catalogPoint = ours(bench.measure(() -> onCatalog.bbox(point)), "catalog_point_query",
          "the bbox query's aggregation on a 1 m box at its centre, planned from the catalog", sparkThreads);
      catalogPoint.details().put("box", point.describe());

      Map<String, Object> launcher = launcherStart(out);

      Map<String, Object> granuleInfo = bench.describeGranule(file, fileBytes, oursFull.photons());
      Map<String, Object> options = new LinkedHashMap<>();
      options.put("master", session.sparkContext().master());
      options.put("warmups", bench.warmups());
      options.put("repetitions", bench.repetitions());
      options.put("beams", beams);
      options.put("datasets", columns);
      options.put("bbox_fraction", bench.bboxFraction());
      options.put("bbox_beam", bench.bboxBeam());
      options.put("floor_threads", threads);
      options.put("max_heap_bytes", HeapPeak.maxHeapBytes());
      options.put("inflater", ScanInflater.onExecutors(session));
      options.put("launcher_help", launcher);
      provenance.put("load_average_after", Provenance.loadAverage());
      report = new ScanBenchReport(LocalDate.now(), provenance, granuleInfo, options,
          List.of(oursFull, oursScanOnly, h5pyFull, floor, libdeflateFloor, bboxQuery, refsWrite, refsFull, refsBbox,
              catalogFull, catalogBbox, catalogPoint));
    }
    Path dir = report.write(bench.results());
    report.printSummary(out);
    out.printf("results in %s%n", dir);
    return report.photonCountsAgree() ? 0 : 1;
  }

  /** `./atl03 --help` timed, or why not: no launcher in the checkout, or --launcher-runs 0. */
  private Map<String, Object> launcherStart(PrintStream out) throws Exception {
    Map<String, Object> json = new LinkedHashMap<>();
    Path launcher = LauncherStart.launcher(atl03.root());
    if (launcher == null || launcherRuns < 1) {
      json.put("not_measured", launcher == null ? "no ./atl03 launcher in " + atl03.root() : "--launcher-runs 0");
      return json;
    }
    out.printf("== launcher: %s --help, %d runs%n", launcher, launcherRuns);
    Timings t = LauncherStart.help(launcher, launcherRuns);
    json.put("seconds", t.seconds());
    json.put("median_seconds", t.median());
    json.put("max_seconds", t.max());
    return json;
  }

  /**
   * A box holding about --bbox-fraction of the photons. A box around one beam's stretch also catches the
   * neighbouring beams where the track runs diagonally, so the box is re-chosen (at most twice) from the count an
   * untimed query returns.
   */
  private BboxChoice.Box calibratedBox(OurScan ours, Path file, long granulePhotons) throws Exception {
    double target = granulePhotons * bench.bboxFraction();
    long wanted = Math.max(1, Math.round(target));
    BboxChoice.Box box = BboxChoice.choose(file, bench.bboxBeam(), wanted);
    for (int attempt = 0; attempt < 2; attempt++) {
      double ratio = ours.bbox(box).photons() / target;
      if (ratio == 0 || (ratio >= 0.8 && ratio <= 1.25)) {
        break;
      }
      wanted = Math.max(1, Math.round(wanted / ratio));
      box = BboxChoice.choose(file, bench.bboxBeam(), wanted);
    }
    return box;
  }

  private static Measurement ours(Timings.Measured<OurScan.Result> measured, String name, String what,
      int threads) {
    OurScan.Result r = measured.value();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("photons_scanned", r.metric("photonsScanned"));
    details.put("planning_bytes_read", r.metric("planningBytesRead"));
    details.put("planning_read_requests", r.metric("planningReadRequests"));
    details.put("checksum", r.checksum());
    return new Measurement(name, what, threads, measured.timings(), r.photons(), r.metric("bytesRead"),
        r.metric("readRequests"), r.metric("chunksDecoded"), details);
  }

  private static Measurement scanOnly(Timings.Measured<OurScan.Result> measured, String name, String what,
      int threads) {
    OurScan.Result r = measured.value();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("photons_scanned", r.metric("photonsScanned"));
    details.put("planning_bytes_read", r.metric("planningBytesRead"));
    details.put("planning_read_requests", r.metric("planningReadRequests"));
    return new Measurement(name, what, threads, measured.timings(), r.photons(), r.metric("bytesRead"),
        r.metric("readRequests"), r.metric("chunksDecoded"), details);
  }

  /** convert --to refs's own call, timed; the photons are the granule's the refs describe. */
  private Measurement refsWrite(Path granuleFile, Path refsFile, long photons) throws Exception {
    Files.createDirectories(refsFile.getParent());
    String granuleUri = granuleFile.toAbsolutePath().toUri().toString();
    String refsUri = refsFile.toAbsolutePath().toUri().toString();
    Timings.Measured<RefsWriter.Summary> measured =
        bench.measure(() -> RefsConversion.write(granuleUri, refsUri, new Configuration(), RefsWriter.Options.DEFAULT));
    RefsWriter.Summary s = measured.value();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("path", refsFile.toAbsolutePath().normalize().toString());
    details.put("json_bytes", Files.size(refsFile));
    details.put("arrays", s.arrays());
    details.put("chunk_refs", s.chunkRefs());
    details.put("inlined", s.inlined());
    details.put("skipped_non_numeric", s.skipped().size());
    return new Measurement("refs_write", "RefsWriter.convert (convert --to refs), default options, one thread", 1,
        measured.timings(), photons, null, null, null, details);
  }

  /**
   * The floors with the JDK's zlib and with libdeflate. The chunks they decode (the scanned datasets' stored bytes,
   * 312 MB of the 488 MB granule) are loaded here and let go on return, not held through the measurements after.
   */
  private List<Measurement> inflateFloors(Path file, List<String> beams, List<String> columns, int threads)
      throws Exception {
    InflateFloor chunks = InflateFloor.load(file, beams, columns);
    return List.of(inflateFloor(chunks, "inflate_floor", "the JDK's zlib", ZlibInflate::jdk, threads),
        inflateFloor(chunks, "inflate_floor_libdeflate", "libdeflate", ZlibInflate::libdeflate, threads));
  }

  private Measurement inflateFloor(InflateFloor chunks, String name, String inflater,
      Supplier<ZlibInflate> inflaters, int threads) throws Exception {
    Timings.Measured<Long> measured = bench.measure(() -> chunks.decodeAll(threads, inflaters));
    InflateFloor.Loaded loaded = chunks.loaded();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("stored_bytes", loaded.storedBytes());
    details.put("decoded_bytes", loaded.decodedBytes());
    details.put("checksum", measured.value());
    return new Measurement(name, "in-memory chunks: " + inflater + " (reused) + unshuffle, no I/O", threads,
        measured.timings(), loaded.photons(), null, null, (long) loaded.chunks(), details);
  }

  private static Measurement bbox(Timings.Measured<OurScan.Result> measured, String name, BboxChoice.Box box,
      BboxChoice.Touched touched, long fileBytes, long granulePhotons, int threads) {
    OurScan.Result r = measured.value();
    Map<String, Object> details = new LinkedHashMap<>();
    Map<String, Object> boxJson = box.describe();
    boxJson.put("beam_photons_in_segments", box.beamPhotons());
    details.put("box", boxJson);
    details.put("fraction_of_granule_photons", (double) r.photons() / granulePhotons);
    details.put("photons_scanned", r.metric("photonsScanned"));
    details.put("photons_after_pruning", r.metric("photonsReturned"));
    details.put("planning_bytes_read", r.metric("planningBytesRead"));
    details.put("planning_read_requests", r.metric("planningReadRequests"));
    details.put("needed_chunks", touched.chunks());
    details.put("needed_chunks_stored_bytes", touched.storedBytes());
    details.put("bytes_read_vs_needed",
        touched.storedBytes() == 0 ? null : (double) r.metric("bytesRead") / touched.storedBytes());
    details.put("file_bytes", fileBytes);
    details.put("bytes_read_vs_file", (double) r.metric("bytesRead") / fileBytes);
    return new Measurement(name, "lat/lon box pushed down, aggregation of the 5 columns", threads,
        measured.timings(), r.photons(), r.metric("bytesRead"), r.metric("readRequests"), r.metric("chunksDecoded"),
        details);
  }
}
