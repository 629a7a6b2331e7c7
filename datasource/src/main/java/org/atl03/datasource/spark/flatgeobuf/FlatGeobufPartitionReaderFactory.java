package org.atl03.datasource.spark.flatgeobuf;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.spark.SerializableConfiguration;

/** Row readers: one feature, one row. */
final class FlatGeobufPartitionReaderFactory implements PartitionReaderFactory {

  private final Broadcast<SerializableConfiguration> conf;
  private final StructType readSchema;
  private final int maxGapBytes;

  FlatGeobufPartitionReaderFactory(Broadcast<SerializableConfiguration> conf, StructType readSchema,
      int maxGapBytes) {
    this.conf = conf;
    this.readSchema = readSchema;
    this.maxGapBytes = maxGapBytes;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new FlatGeobufPartitionReader(
        (FlatGeobufInputPartition) partition, readSchema, conf.value().get(), maxGapBytes);
  }
}
