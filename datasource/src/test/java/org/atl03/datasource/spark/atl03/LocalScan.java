package org.atl03.datasource.spark.atl03;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.atl03.datasource.io.ConcurrentReads;

/**
 * Reads granules through the same planner and partition readers as {@code format("atl03")}, in the calling thread
 * and without a SparkSession: every column of the schema (plus the {@code datasets} option's), every partition in
 * plan order. For fuzzing and tools that must exercise exactly the scan path a Spark task runs, at a fraction of a
 * Spark job's cost per file. Filters are not pushed: every photon is read.
 */
public final class LocalScan {

  /**
   * Rows and an order-dependent checksum of every column's values per "granule/beam" (sorted), and what was
   * skipped as corrupt, each "file: reason".
   */
  public record Result(Map<String, Long> rows, Map<String, Long> checksums, List<String> skipped) {
    public long totalRows() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private LocalScan() {}

  /** Scans {@code paths} with the source's {@code options} (onCorruptGranule, datasets, kerchunk settings …). */
  public static Result run(List<String> paths, Map<String, String> options, Configuration conf) throws IOException {
    Map<String, String> all = new HashMap<>(options);
    all.put("paths", new ObjectMapper().writeValueAsString(paths));
    Atl03Options parsed = Atl03Options.parse(new CaseInsensitiveStringMap(all));
    Configuration readConf = parsed.hadoopConf(conf);
    boolean skip = parsed.skipCorruptGranules(false);
    ExtraDatasets extra = ExtraDatasets.resolve(parsed, readConf);
    PhotonColumns columns = PhotonColumns.of(extra.schema(), extra.sources());
    ScanPlanner.Plan plan = new ScanPlanner(parsed, columns, PushedFilters.of(new Filter[0]), skip)
        .plan(readConf, 1); // one thread reads the partitions
    List<String> skipped = new ArrayList<>(plan.skipped());
    Map<String, Long> rows = new TreeMap<>();
    Map<String, Long> sums = new TreeMap<>();
    for (Atl03InputPartition partition : plan.partitions()) {
      String key = partition.granule() + "/" + partition.beam();
      try (PartitionReader<ColumnarBatch> reader = new Atl03PartitionReader(partition, columns, readConf,
          parsed.readsInFlight(), skip, skipped::add)) {
        long n = rows.getOrDefault(key, 0L);
        long h = sums.getOrDefault(key, 0L);
        while (reader.next()) {
          ColumnarBatch batch = reader.get();
          for (int r = 0; r < batch.numRows(); r++) {
            for (int c = 0; c < batch.numCols(); c++) {
              h = h * 1_000_003L + hash(batch.column(c), columns.columns().get(c).type(), r);
            }
          }
          n += batch.numRows();
        }
        rows.put(key, n);
        sums.put(key, h);
      }
    }
    return new Result(rows, sums, skipped);
  }

  /** Rows and the sum of one numeric column. */
  public record ColumnSum(long rows, double sum, long planningRequests) {}

  /**
   * The rows and sum of one numeric {@code column} of what {@code options} select (beams, datasets …), planned and
   * read as a Spark scan would (the same planner and partition readers, only that column read), with the
   * partitions shared by {@code threads} threads: what the source costs below Spark, for benchmarks that tell the
   * reader's time from Spark's own cost of running a query.
   */
  public static ColumnSum sum(List<String> paths, Map<String, String> options, String column, Configuration conf,
      int threads) throws IOException {
    Map<String, String> all = new HashMap<>(options);
    all.put("paths", new ObjectMapper().writeValueAsString(paths));
    Atl03Options parsed = Atl03Options.parse(new CaseInsensitiveStringMap(all));
    Configuration readConf = parsed.hadoopConf(conf);
    ExtraDatasets extra = ExtraDatasets.resolve(parsed, readConf);
    org.apache.spark.sql.types.StructField field = extra.schema().apply(column);
    PhotonColumns columns = PhotonColumns.of(new org.apache.spark.sql.types.StructType(
        new org.apache.spark.sql.types.StructField[] {field}), extra.sources());
    ScanPlanner.Plan plan = new ScanPlanner(parsed, columns, PushedFilters.of(new Filter[0]), false)
        .plan(readConf, threads);
    List<ConcurrentReads.Read<double[]>> parts = new ArrayList<>();
    for (Atl03InputPartition partition : plan.partitions()) {
      parts.add(() -> {
        long n = 0;
        double sum = 0;
        try (PartitionReader<ColumnarBatch> reader = new Atl03PartitionReader(partition, columns, readConf,
            parsed.readsInFlight(), false, skipped -> {})) {
          while (reader.next()) {
            ColumnarBatch batch = reader.get();
            ColumnVector v = batch.column(0);
            for (int r = 0; r < batch.numRows(); r++) {
              sum += v.isNullAt(r) ? 0 : number(v, field.dataType(), r);
            }
            n += batch.numRows();
          }
        }
        return new double[] {n, sum};
      });
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      long rows = 0;
      double sum = 0;
      for (double[] part : ConcurrentReads.all(parts, pool, "reading " + paths)) {
        rows += (long) part[0];
        sum += part[1];
      }
      return new ColumnSum(rows, sum, plan.metadataRequests());
    } finally {
      pool.shutdownNow();
    }
  }

  private static double number(ColumnVector v, DataType type, int r) {
    if (type.equals(DataTypes.DoubleType)) {
      return v.getDouble(r);
    }
    if (type.equals(DataTypes.FloatType)) {
      return v.getFloat(r);
    }
    if (type.equals(DataTypes.LongType)) {
      return v.getLong(r);
    }
    if (type.equals(DataTypes.IntegerType)) {
      return v.getInt(r);
    }
    if (type.equals(DataTypes.ShortType)) {
      return v.getShort(r);
    }
    if (type.equals(DataTypes.ByteType)) {
      return v.getByte(r);
    }
    throw new IllegalArgumentException("column of type " + type.simpleString() + " has no sum");
  }

  private static long hash(ColumnVector v, DataType type, int r) {
    if (v.isNullAt(r)) {
      return 0x9E3779B97F4A7C15L;
    }
    if (type.equals(DataTypes.StringType)) {
      return v.getUTF8String(r).hashCode();
    }
    if (type.equals(DataTypes.DoubleType)) {
      return Double.doubleToRawLongBits(v.getDouble(r));
    }
    if (type.equals(DataTypes.FloatType)) {
      return Float.floatToRawIntBits(v.getFloat(r));
    }
    if (type.equals(DataTypes.LongType) || type.equals(DataTypes.TimestampType)) {
      return v.getLong(r);
    }
    if (type.equals(DataTypes.IntegerType)) {
      return v.getInt(r);
    }
    if (type.equals(DataTypes.ShortType)) {
      return v.getShort(r);
    }
    if (type.equals(DataTypes.ByteType)) {
      return v.getByte(r);
    }
    if (type instanceof org.apache.spark.sql.types.ArrayType array) {
      org.apache.spark.sql.vectorized.ColumnarArray values = v.getArray(r);
      long h = values.numElements();
      for (int i = 0; i < values.numElements(); i++) {
        h = h * 31 + java.util.Objects.hashCode(values.get(i, array.elementType()));
      }
      return h;
    }
    throw new IllegalStateException("no checksum for column type " + type);
  }
}
