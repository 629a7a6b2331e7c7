package org.atl03.jobs.bench.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.bench.StorageReads;

/**
 * A Spark reader: our {@code atl03} source on HDF5 and refs, Sedona on GeoParquet, Delta, our {@code flatgeobuf}.
 * Each repetition builds the query afresh (planning and metadata reads included, as a user's query pays them),
 * runs the aggregation of {@link SparkQueries} and diffs Hadoop's FileSystem statistics of the storage's scheme
 * around it. Requests: the source's own read-request metrics where it has them (atl03, flatgeobuf: tasks +
 * planning), else Hadoop's readOps (file opens and listings: Parquet has no per-read counter).
 */
final class SparkReader implements BenchReader {

  /** Loads a format's photons under the atl03 column names. */
  @FunctionalInterface
  interface Loader {
    Dataset<Row> load(SparkSession session, List<String> uris);
  }

  private final String name;
  private final String description;
  private final Set<BenchFormat> formats;
  private final Loader loader;
  private final Map<String, Object> versions = new LinkedHashMap<>();

  SparkReader(String name, String description, Set<BenchFormat> formats, Loader loader) {
    this.name = name;
    this.description = description;
    this.formats = formats;
    this.loader = loader;
  }

  static SparkReader atl03() {
    return new SparkReader("atl03", "ours: spark.read.format(\"atl03\") (DataSource V2, chunk-level pruning)",
        Set.of(BenchFormat.HDF5, BenchFormat.HDF5_PAGED, BenchFormat.HDF5_V007, BenchFormat.REFS,
            BenchFormat.REFS_PAGED),
        (s, uris) -> s.read().format("atl03").load(uris.toArray(String[]::new)));
  }

  static SparkReader sedona() {
    return new SparkReader("sedona", "Apache Sedona: spark.read.format(\"geoparquet\")", Set.of(BenchFormat.GEOPARQUET),
        (s, uris) -> s.read().format("geoparquet").load(uris.toArray(String[]::new)));
  }

  static SparkReader delta() {
    return new SparkReader("delta", "Delta Lake: spark.read.format(\"delta\")", Set.of(BenchFormat.DELTA),
        (s, uris) -> s.read().format("delta").load(uris.get(0)));
  }

  static SparkReader flatgeobuf() {
    return new SparkReader("flatgeobuf", "ours: spark.read.format(\"flatgeobuf\") (packed R-tree range reads)",
        Set.of(BenchFormat.FLATGEOBUF),
        (s, uris) -> s.read().format("flatgeobuf").load(uris.toArray(String[]::new)).selectExpr("granule", "beam",
            "photon_index", "x AS lon_ph", "y AS lat_ph", "delta_time", "h_ph",
            "array(signal_conf_ph_land, signal_conf_ph_ocean, signal_conf_ph_sea_ice, signal_conf_ph_land_ice,"
                + " signal_conf_ph_inland_water) AS signal_conf_ph"));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String notApplicable(BenchQuery query, BenchFormat format) {
    if (!formats.contains(format)) {
      return name + " does not read " + format.key();
    }
    return null;
  }

  @Override
  public String cannotRun() {
    return null;
  }

  @Override
  public boolean needsSpark() {
    return true;
  }

  @Override
  public CellResult.Measured run(CellContext context) {
    SparkSession session = context.session();
    versions.putIfAbsent("spark", session.version());
    Cell cell = context.cell();
    BenchQuery query = context.query();
    List<CellResult.Repetition> repetitions = new ArrayList<>();
    CellResult.QueryResult result = null;
    Map<String, Long> metrics = Map.of();
    String requestsCounter = null;
    String bytesCounter = null;
    for (int i = 0; i < context.repetitions(); i++) {
      boolean dropped = i == 0 && context.dropCaches() && PageCache.drop();
      Dataset<Row> photons = loader.load(session, context.uris());
      Dataset<Row> aggregate = SparkQueries.result(SparkQueries.filter(photons, query, context.parameters(),
          cell.format()), query);
      ReadCounter counter = ReadCounter.start(cell.storage());
      long started = System.nanoTime();
      Row row = aggregate.collectAsList().get(0);
      double seconds = (System.nanoTime() - started) / 1e9;
      metrics = StorageReads.scanMetrics(aggregate);
      Long own = metrics.containsKey("readRequests")
          ? metrics.get("readRequests") + metrics.getOrDefault("planningReadRequests", 0L) : null;
      long[] read = counter.stop(own);
      requestsCounter = counter.requestsCounter(own != null);
      bytesCounter = counter.bytesCounter();
      repetitions.add(new CellResult.Repetition(seconds, i == 0, dropped, read[0], read[1]));
      result = SparkQueries.read(row, query);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("scan_metrics", new TreeMap<>(metrics));
    return new CellResult.Measured(repetitions, result, bytesCounter, requestsCounter, details);
  }

  @Override
  public Map<String, Object> versions() {
    return versions;
  }
}
