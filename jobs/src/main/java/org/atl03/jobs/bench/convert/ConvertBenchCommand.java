package org.atl03.jobs.bench.convert;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.SparkOptions;
import org.atl03.jobs.bench.BboxChoice;
import org.atl03.jobs.bench.BenchColumns;
import org.atl03.jobs.bench.BenchOptions;
import org.atl03.jobs.bench.Directories;
import org.atl03.jobs.bench.Provenance;
import org.atl03.jobs.bench.StorageReads;
import org.atl03.jobs.bench.Timings;
import org.atl03.jobs.convert.Conversion;
import org.atl03.jobs.convert.ConvertCommand;
import org.atl03.jobs.convert.ConvertSettings;
import org.atl03.jobs.verify.VerifyCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The conversion benchmark: every registered convert target on one granule (conversion rate, output size) and the
 * same ~1 % bbox query on the original and on each output, with bytes read measured for all of them through Hadoop's
 * FileSystem statistics; writes results/DATE-convert-bench/.
 */
@Command(
    name = "convert-bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark every registered convert target on one granule (synthetic unless --granule is given):",
      "  conversion: wall time, photons/s, output bytes and their ratio to the original's;",
      "  a ~1 %% bbox query (lat/lon filter + aggregation) on the original (atl03 source on the HDF5) and on each",
      "  output read back by its target: wall time, photons, bytes read from storage (Hadoop FileSystem statistics",
      "  of the file scheme, diffed around the query, the same for every format) and the scan's own metrics.",
      "Runs on local[2] unless --master is given. Writes results.json, results.csv and report.md to",
      "RESULTS/<date>-convert-bench/ and indexes the run in RESULTS/README.md; exits 1 when a format's bbox photon",
      "count differs from the original's."
    })
public final class ConvertBenchCommand implements Callable<Integer> {

  static final String ORIGINAL = "original";
  static final List<String> QUERY_COLUMNS = BenchColumns.SCANNED;

  @Option(names = "--formats", split = ",",
      description = "Convert targets to benchmark (default: every registered one).")
  List<String> formats;

  @Mixin BenchOptions bench;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand Atl03 atl03;

  /** One timed bbox query: photons returned, bytes and read operations from storage, the scan's metrics. */
  record QueryRun(long photons, long bytesRead, long readOps, Map<String, Long> scanMetrics) {}

  @Override
  public Integer call() throws Exception {
    bench.validate(spec);
    PrintStream out = System.out;
    Map<String, Conversion> registered = ConvertCommand.registered();
    List<String> names = formats == null ? List.copyOf(registered.keySet()) : formats;
    for (String name : names) {
      if (!registered.containsKey(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown format " + name + "; known: " + registered.keySet());
      }
    }
    Path file = bench.granuleFile(out);
    long fileBytes = Files.size(file);
    Path outputs = bench.work().resolve("convert-bench").toAbsolutePath();
    Directories.delete(outputs);
    Files.createDirectories(outputs);

    String master = spark.masterOr(spec, BenchOptions.DEFAULT_MASTER);
    ConvertBenchReport report;
    try (SparkSession session = spark.session("atl03 convert-bench", master)) {
      Map<String, Object> provenance = Provenance.collect(atl03.root(), session.version(),
          session.sparkContext().master(), spec.commandLine().getParseResult().originalArgs());
      String uri = new org.apache.hadoop.fs.Path(file.toUri()).toString();
      VerifyCommand.allowReferencesTo(session, List.of(uri));
      long photons = session.read().format("atl03").load(uri).count();
      BboxChoice.Box box =
          BboxChoice.choose(file, bench.bboxBeam(), Math.max(1, Math.round(photons * bench.bboxFraction())));
      out.printf("== bbox: lat [%.5f, %.5f] lon [%.5f, %.5f] around %d segments of %s%n", box.south(), box.north(),
          box.west(), box.east(), box.segments(), box.beam());

      List<ConvertBenchReport.Row> rows = new ArrayList<>();
      out.println("== original: atl03 source on the HDF5");
      Configuration conf = session.sparkContext().hadoopConfiguration();
      Timings.Measured<QueryRun> originalQuery = query(session.read().format("atl03").load(uri), box);
      rows.add(new ConvertBenchReport.Row(ORIGINAL, null, fileBytes, List.of(), originalQuery,
          BboxPruning.of(originalQuery.value().scanMetrics(), null, box, photons, conf)));
      ConvertSettings settings = new ConvertSettings(new Configuration(), 0, false);
      for (String name : names) {
        Conversion target = registered.get(name);
        String dir = outputs.resolve(name).toString();
        out.printf("== %s: converting%n", name);
        long started = System.nanoTime();
        List<String> lines = target.convert(List.of(uri), dir, settings, target.needsSpark() ? session : null);
        double seconds = (System.nanoTime() - started) / 1e9;
        lines.forEach(line -> out.println("   " + line));
        long bytes = Directories.bytes(outputs.resolve(name));
        out.printf("== %s: bbox query on the output%n", name);
        Timings.Measured<QueryRun> run = query(target.read(session, dir), box);
        rows.add(new ConvertBenchReport.Row(name, seconds, bytes, lines, run,
            BboxPruning.of(run.value().scanMetrics(), dir, box, photons, conf)));
      }

      Map<String, Object> granuleInfo = bench.describeGranule(file, fileBytes, photons);
      Map<String, Object> options = new LinkedHashMap<>();
      options.put("master", session.sparkContext().master());
      options.put("formats", names);
      options.put("warmups", bench.warmups());
      options.put("repetitions", bench.repetitions());
      options.put("bbox_fraction", bench.bboxFraction());
      options.put("bbox_beam", bench.bboxBeam());
      options.put("query_columns", QUERY_COLUMNS);
      options.put("outputs", outputs.toString());
      provenance.put("load_average_after", Provenance.loadAverage());
      report = new ConvertBenchReport(LocalDate.now(), provenance, granuleInfo, options, box.describe(), rows);
    }
    Path dir = report.write(bench.results());
    report.printSummary(out);
    out.printf("results in %s%n", dir);
    return report.bboxPhotonsAgree() ? 0 : 1;
  }

  private Timings.Measured<QueryRun> query(Dataset<Row> photons, BboxChoice.Box box) throws Exception {
    return bench.measure(() -> bbox(photons, box));
  }

  /** The bbox filter and an aggregation of the query columns the format has (array columns: first element). */
  private static QueryRun bbox(Dataset<Row> photons, BboxChoice.Box box) {
    List<Column> aggregates = new ArrayList<>();
    for (StructField f : photons.schema().fields()) {
      if (QUERY_COLUMNS.contains(f.name())) {
        aggregates.add(sum(f.dataType() instanceof ArrayType ? col(f.name()).getItem(0) : col(f.name())));
      }
    }
    Dataset<Row> query = photons
        .filter(col("lat_ph").between(box.south(), box.north()).and(col("lon_ph").between(box.west(), box.east())))
        .agg(count(lit(1)), aggregates.toArray(new Column[0]));
    StorageReads.Snapshot before = StorageReads.snapshot("file");
    Row row = query.collectAsList().get(0);
    StorageReads.Snapshot read = StorageReads.snapshot("file").minus(before);
    return new QueryRun(row.getLong(0), read.bytesRead(), read.readOps(), StorageReads.scanMetrics(query));
  }
}
