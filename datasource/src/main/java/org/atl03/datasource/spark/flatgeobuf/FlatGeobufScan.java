package org.atl03.datasource.spark.flatgeobuf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.flatgeobuf.FgbHeader;
import org.atl03.datasource.flatgeobuf.PackedRTreeLayout;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.spark.SerializableConfiguration;
import org.atl03.datasource.spark.StorageMetrics;

/**
 * Plans on the driver from each file's header (one range read when it is under 16 KiB): an indexed file is split
 * into runs of {@code featuresPerPartition} leaves (their byte bounds: one 8-byte read of a leaf per boundary, only
 * when no box is searched); a file without index is one partition; a file without features none.
 */
final class FlatGeobufScan implements Scan, Batch {

  private final FlatGeobufOptions options;
  private final List<String> files;
  private final FgbHeader schemaHeader;
  private final StructType readSchema;
  private final double[] box;
  private final ReadMetrics planning = new ReadMetrics();
  private List<FlatGeobufInputPartition> partitions;

  FlatGeobufScan(FlatGeobufOptions options, List<String> files, FgbHeader schemaHeader, StructType readSchema,
      double[] box) {
    this.options = options;
    this.files = files;
    this.schemaHeader = schemaHeader;
    this.readSchema = readSchema;
    this.box = box;
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  @Override
  public String description() {
    return "flatgeobuf " + options.paths() + (box == null ? "" : " box=" + Arrays.toString(box));
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return plan().toArray(new InputPartition[0]);
  }

  synchronized List<FlatGeobufInputPartition> plan() {
    if (partitions == null) {
      Configuration conf = options.hadoopConf(SparkSession.active().sessionState().newHadoopConf());
      List<FlatGeobufInputPartition> planned = new ArrayList<>();
      for (String location : files) {
        try (InputFile file = planning.meter(HadoopInputFile.open(new Path(location), conf))) {
          planFile(file, planned);
        } catch (IOException e) {
          throw new UncheckedIOException(e.getMessage().contains(location) ? e.getMessage()
              : location + ": " + e.getMessage(), e);
        }
      }
      partitions = planned;
    }
    return partitions;
  }

  private void planFile(InputFile file, List<FlatGeobufInputPartition> out) throws IOException {
    FgbHeader header = FgbHeader.read(file);
    if (!header.columns().equals(schemaHeader.columns())
        || FlatGeobufColumns.isPoint(header) != FlatGeobufColumns.isPoint(schemaHeader)) {
      throw new IOException(file.location() + ": its columns " + header.columns() + " (geometry type "
          + header.geometryType() + ") differ from those of the first file " + files.get(0) + ": "
          + schemaHeader.columns() + " (geometry type " + schemaHeader.geometryType() + ")");
    }
    long length = file.length();
    if (header.featuresStart() >= length) {
      return; // no features
    }
    if (box != null && (box[0] > box[2] || box[1] > box[3])) {
      return; // contradictory filters select nothing
    }
    if (!header.hasIndex()) {
      long count = header.featuresCount() > 0 ? header.featuresCount() : -1;
      out.add(new FlatGeobufInputPartition(file.location(), header, 0, count, header.featuresStart(), length, box));
      return;
    }
    long n = header.featuresCount();
    PackedRTreeLayout layout = PackedRTreeLayout.of(n, header.indexNodeSize());
    long per = options.featuresPerPartition();
    long start = header.featuresStart();
    for (long from = 0; from < n; from += per) {
      long to = Math.min(n, from + per);
      long end = length;
      if (box == null && to < n) {
        byte[] leaf = file.readFully(header.indexStart() + layout.leafNode(to) * 40 + 32, 8);
        end = header.featuresStart() + ByteBuffer.wrap(leaf).order(ByteOrder.LITTLE_ENDIAN).getLong();
      }
      out.add(new FlatGeobufInputPartition(file.location(), header, from, to, start, end, box));
      start = end;
    }
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    SparkSession spark = SparkSession.active();
    Broadcast<SerializableConfiguration> conf = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new SerializableConfiguration(options.hadoopConf(spark.sessionState().newHadoopConf())));
    return new FlatGeobufPartitionReaderFactory(conf, readSchema, options.maxGapBytes());
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return FlatGeobufMetrics.supported();
  }

  @Override
  public CustomTaskMetric[] reportDriverMetrics() {
    plan();
    return new CustomTaskMetric[] {
      StorageMetrics.task(StorageMetrics.PLANNING_BYTES_READ, planning.bytes()),
      StorageMetrics.task(StorageMetrics.PLANNING_READ_REQUESTS, planning.requests())
    };
  }
}
