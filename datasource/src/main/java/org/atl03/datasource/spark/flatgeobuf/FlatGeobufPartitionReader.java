package org.atl03.datasource.spark.flatgeobuf;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.flatgeobuf.FeatureCursor;
import org.atl03.datasource.flatgeobuf.FgbFeature;
import org.atl03.datasource.flatgeobuf.FgbHeader;
import org.atl03.datasource.flatgeobuf.HitCursor;
import org.atl03.datasource.flatgeobuf.IndexSearch;
import org.atl03.datasource.flatgeobuf.SequentialCursor;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.spark.StorageMetrics;

/**
 * Reads one partition: with a box and an index, searches the index (only the nodes it needs) and fetches the hit
 * features in coalesced range reads; otherwise reads the partition's bytes in file order, in 8 MiB blocks. Features
 * outside the box are dropped here (points exactly, other geometries by JTS intersection).
 */
final class FlatGeobufPartitionReader implements PartitionReader<InternalRow> {

  private static final int MAX_READ_BYTES = 8 * 1024 * 1024;

  private final FlatGeobufInputPartition partition;
  private final ReadMetrics metrics = new ReadMetrics();
  private final InputFile file;
  private final int[] sources;
  private final int[] types;
  private final double[] box;
  private final int maxGapBytes;
  private FeatureCursor cursor;
  private final GenericInternalRow row;

  FlatGeobufPartitionReader(FlatGeobufInputPartition partition, StructType readSchema, Configuration conf,
      int maxGapBytes) {
    this.partition = partition;
    this.box = partition.box();
    this.maxGapBytes = maxGapBytes;
    FgbHeader header = partition.header();
    this.sources = FlatGeobufColumns.sources(header, readSchema);
    this.types = new int[sources.length];
    for (int i = 0; i < sources.length; i++) {
      types[i] = sources[i] >= 0 ? header.columns().get(sources[i]).type() : -1;
    }
    this.row = new GenericInternalRow(sources.length);
    try {
      this.file = metrics.meter(HadoopInputFile.open(new Path(partition.location()), conf));
    } catch (IOException e) {
      throw new UncheckedIOException(partition.location() + ": cannot open: " + e.getMessage(), e);
    }
  }

  private FeatureCursor cursor() throws IOException {
    FgbHeader header = partition.header();
    if (box != null && header.hasIndex()) {
      IndexSearch.Hits hits = IndexSearch.search(file, header, box[0], box[1], box[2], box[3],
          partition.fromItem(), partition.toItem(), file.length() - header.featuresStart(), maxGapBytes);
      return new HitCursor(file, header, hits, maxGapBytes, MAX_READ_BYTES);
    }
    return new SequentialCursor(file, header, partition.start(), partition.end(), SequentialCursor.DEFAULT_BLOCK);
  }

  @Override
  public boolean next() throws IOException {
    try {
      if (cursor == null) {
        cursor = cursor();
      }
      FgbFeature f;
      while ((f = cursor.next()) != null) {
        if (box == null || f.intersects(box[0], box[1], box[2], box[3])) {
          fill(f);
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      throw new IOException(message.contains(partition.location()) ? message
          : partition.location() + ": " + message, e);
    }
  }

  private void fill(FgbFeature f) {
    for (int i = 0; i < sources.length; i++) {
      Object v;
      switch (sources[i]) {
        case FlatGeobufColumns.SOURCE_GEOMETRY -> v = f.wkb();
        case FlatGeobufColumns.SOURCE_X -> v = f.isPoint() ? f.x() : null;
        case FlatGeobufColumns.SOURCE_Y -> v = f.isPoint() ? f.y() : null;
        default -> v = FlatGeobufColumns.value(f, sources[i], types[i]);
      }
      row.update(i, v);
    }
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return new CustomTaskMetric[] {
      StorageMetrics.task(StorageMetrics.BYTES_READ, metrics.bytes()),
      StorageMetrics.task(StorageMetrics.READ_REQUESTS, metrics.requests()),
      StorageMetrics.task(FlatGeobufMetrics.FEATURES_READ, cursor == null ? 0 : cursor.featuresRead())
    };
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
