package org.atl03.datasource.spark.atl03;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.atl03.datasource.spark.SerializableConfiguration;

/** Columnar readers only: photons are decoded chunk by chunk straight into column vectors. */
final class Atl03PartitionReaderFactory implements PartitionReaderFactory {

  // broadcast: each task deserializes its factory, and parsing a Hadoop Configuration per task cost ~20 % of
  // the executors' Java samples in the scan benchmark; a broadcast value is deserialized once per executor
  private final Broadcast<SerializableConfiguration> conf;
  private final PhotonColumns columns;
  private final int readsInFlight;
  private final boolean ignoreCorruptFiles;
  private final org.apache.spark.util.CollectionAccumulator<String> skipped; // null unless skipping

  Atl03PartitionReaderFactory(Broadcast<SerializableConfiguration> conf, PhotonColumns columns, int readsInFlight,
      boolean ignoreCorruptFiles, org.apache.spark.util.CollectionAccumulator<String> skipped) {
    this.conf = conf;
    this.columns = columns;
    this.readsInFlight = readsInFlight;
    this.ignoreCorruptFiles = ignoreCorruptFiles;
    this.skipped = skipped;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return true;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    throw new UnsupportedOperationException("atl03 reads columnar batches only");
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    return new Atl03PartitionReader(
        (Atl03InputPartition) partition, columns, conf.value().get(), readsInFlight, ignoreCorruptFiles,
        skipped == null ? reason -> { } : skipped::add);
  }
}
