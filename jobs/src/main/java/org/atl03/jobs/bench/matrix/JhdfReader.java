package org.atl03.jobs.bench.matrix;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.hdf5.HdfChannel;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;

/**
 * The single-JVM baseline, h5py's counterpart in Java: jhdf reads and decodes whole datasets, no Spark (it
 * decodes a dataset's chunks on a parallel stream: the JVM's common fork-join pool and the calling thread). Like the
 * h5py peer it reads a query's filter columns whole and the other columns only over the index range holding the
 * matches. jhdf opens the file through {@link HdfChannel} (positional reads through Hadoop's FileSystem,
 * counted by its statistics), never by path: jhdf memory-maps chunks when opened from a path.
 */
final class JhdfReader implements BenchReader {

  private final Map<String, Object> versions = new LinkedHashMap<>();

  @Override
  public String name() {
    return "jhdf";
  }

  @Override
  public String description() {
    return "single-JVM baseline: jhdf Dataset.getData() (chunks decoded on the common fork-join pool), no Spark "
        + "(h5py's counterpart)";
  }

  @Override
  public String notApplicable(BenchQuery query, BenchFormat format) {
    if (!format.isHdf5()) {
      return "jhdf reads HDF5 only";
    }
    if (query == BenchQuery.Q6) {
      return "Q6 scales Spark executor cores; jhdf runs in one JVM without Spark";
    }
    return null;
  }

  @Override
  public String cannotRun() {
    return null;
  }

  @Override
  public boolean needsSpark() {
    return false;
  }

  @Override
  public CellResult.Measured run(CellContext context) throws Exception {
    versions.putIfAbsent("jhdf", HdfFile.class.getPackage().getImplementationVersion());
    Cell cell = context.cell();
    List<CellResult.Repetition> repetitions = new ArrayList<>();
    CellResult.QueryResult result = null;
    String bytesCounter = null;
    String requestsCounter = null;
    for (int i = 0; i < context.repetitions(); i++) {
      boolean dropped = i == 0 && context.dropCaches() && PageCache.drop();
      ReadCounter counter = ReadCounter.start(cell.storage());
      long started = System.nanoTime();
      ChecksumAccumulator acc = new ChecksumAccumulator(context.query().columns());
      for (String uri : context.uris()) {
        readGranule(uri, context, acc);
      }
      result = acc.result();
      double seconds = (System.nanoTime() - started) / 1e9;
      long[] read = counter.stop(null);
      repetitions.add(new CellResult.Repetition(seconds, i == 0, dropped, read[0], read[1]));
      bytesCounter = counter.bytesCounter();
      requestsCounter = counter.requestsCounter(false);
    }
    return new CellResult.Measured(repetitions, result, bytesCounter, requestsCounter, Map.of());
  }

  private static void readGranule(String uri, CellContext context, ChecksumAccumulator acc) throws Exception {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
    BenchQuery query = context.query();
    // HdfFile.close() fails on a channel-backed file ("No backing file"); closing the input releases everything
    try (InputFile in = HadoopInputFile.open(path, context.hadoopConf())) {
      HdfFile hdf = new HdfFile(new HdfChannel(in));
      for (String beam : Atl03Granule.BEAMS) {
        if (query == BenchQuery.Q1 && !beam.equals("gt1l")) {
          continue;
        }
        Node group = hdf.getChildren().get(beam);
        if (!(group instanceof Group g) || !(g.getChildren().get("heights") instanceof Group heights)
            || !heights.getChildren().containsKey("delta_time")) {
          continue;
        }
        readBeam(path.getName(), beam, heights, query, context.parameters(), acc);
      }
    }
  }

  private static void readBeam(String granule, String beam, Group heights, BenchQuery query, QueryParameters p,
      ChecksumAccumulator acc) {
    Map<String, Object> whole = new HashMap<>();
    for (String c : filterColumns(query)) {
      whole.put(c, data(heights, c));
    }
    boolean[] mask = mask(query, p, whole);
    List<String> columns = query.columns();
    if (mask == null) {
      Map<String, Object> values = new HashMap<>();
      for (String c : columns) {
        values.put(c, data(heights, c));
      }
      int n = length(values.get(columns.get(0)));
      long[] index = new long[n];
      for (int i = 0; i < n; i++) {
        index[i] = i;
      }
      acc.add(granule, beam, index, values);
      return;
    }
    int lo = -1;
    int hi = -1;
    int hits = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        lo = lo < 0 ? i : lo;
        hi = i + 1;
        hits++;
      }
    }
    if (hits == 0) {
      return;
    }
    long[] index = new long[hits];
    for (int i = lo, k = 0; i < hi; i++) {
      if (mask[i]) {
        index[k++] = i;
      }
    }
    Map<String, Object> values = new HashMap<>();
    for (String c : columns) {
      Object range = whole.containsKey(c) ? whole.get(c) : slice(heights, c, lo, hi - lo);
      values.put(c, select(range, whole.containsKey(c) ? 0 : lo, index));
    }
    acc.add(granule, beam, index, values);
  }

  private static List<String> filterColumns(BenchQuery query) {
    return switch (query) {
      case Q3, Q5 -> List.of("lat_ph", "lon_ph");
      case Q4 -> List.of("delta_time");
      default -> List.of();
    };
  }

  private static boolean[] mask(BenchQuery query, QueryParameters p, Map<String, Object> v) {
    if (query == BenchQuery.Q4) {
      double[] t = (double[]) v.get("delta_time");
      boolean[] m = new boolean[t.length];
      for (int i = 0; i < t.length; i++) {
        m[i] = t[i] >= p.timeStart() && t[i] <= p.timeEnd();
      }
      return m;
    }
    if (query == BenchQuery.Q3 || query == BenchQuery.Q5) {
      double[] lat = (double[]) v.get("lat_ph");
      double[] lon = (double[]) v.get("lon_ph");
      boolean[] m = new boolean[lat.length];
      for (int i = 0; i < lat.length; i++) {
        m[i] = query == BenchQuery.Q3
            ? lat[i] >= p.south() && lat[i] <= p.north() && lon[i] >= p.west() && lon[i] <= p.east()
            : p.polygonContains(lon[i], lat[i]);
      }
      return m;
    }
    return null;
  }

  private static Object data(Group heights, String column) {
    return dataset(heights, column).getData();
  }

  private static Object slice(Group heights, String column, int offset, int length) {
    Dataset ds = dataset(heights, column);
    int[] dims = ds.getDimensions();
    long[] start = new long[dims.length];
    start[0] = offset;
    int[] shape = dims.clone();
    shape[0] = length;
    return ds.getData(start, shape);
  }

  private static Dataset dataset(Group heights, String column) {
    if (!(heights.getChildren().get(column) instanceof Dataset ds)) {
      throw new IllegalArgumentException(heights.getFile().getName() + ": no dataset " + heights.getPath() + column);
    }
    return ds;
  }

  private static int length(Object array) {
    return java.lang.reflect.Array.getLength(array);
  }

  /** The rows {@code index} (absolute photon numbers) of {@code array}, whose first row is photon {@code base}. */
  private static Object select(Object array, int base, long[] index) {
    if (array instanceof double[] d) {
      double[] out = new double[index.length];
      for (int k = 0; k < index.length; k++) {
        out[k] = d[(int) index[k] - base];
      }
      return out;
    }
    if (array instanceof float[] f) {
      float[] out = new float[index.length];
      for (int k = 0; k < index.length; k++) {
        out[k] = f[(int) index[k] - base];
      }
      return out;
    }
    if (array instanceof byte[][] b) {
      byte[][] out = new byte[index.length][];
      for (int k = 0; k < index.length; k++) {
        out[k] = b[(int) index[k] - base];
      }
      return out;
    }
    throw new IllegalArgumentException("unsupported array " + array.getClass());
  }

  @Override
  public Map<String, Object> versions() {
    return versions;
  }
}
