package org.atl03.datasource.spark.atl03;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
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
import org.atl03.datasource.hdf5.ZlibInflate;
import org.atl03.datasource.spark.SerializableConfiguration;
import org.atl03.datasource.spark.StorageMetrics;

/** The planned scan: partitions are planned once, lazily, from the granules' metadata on the driver. */
final class Atl03Scan implements Scan, Batch {

  private final Atl03Options options;
  private final StructType readSchema;
  private final PhotonColumns columns;
  private final PushedFilters pushed;
  private ScanPlanner.Plan plan;
  private org.apache.spark.util.CollectionAccumulator<String> taskSkips;

  Atl03Scan(Atl03Options options, StructType readSchema, PhotonColumns columns, PushedFilters pushed) {
    this.options = options;
    this.readSchema = readSchema;
    this.columns = columns;
    this.pushed = pushed;
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  @Override
  public String description() {
    return "atl03 " + options.source() + " columns=" + columns.heightsDatasets() + columns.geolocationDatasets()
        + " pushed=" + pushed.used() + " inflater=" + ZlibInflate.implementation();
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    List<Atl03InputPartition> partitions = plan().partitions();
    return partitions.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    SparkSession spark = SparkSession.active();
    Broadcast<SerializableConfiguration> conf = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new SerializableConfiguration(options.hadoopConf(spark.sessionState().newHadoopConf())));
    boolean skip = ignoreCorruptFiles(spark);
    if (skip && taskSkips == null) {
      taskSkips = spark.sparkContext().collectionAccumulator("atl03 corrupt partitions skipped");
    }
    return new Atl03PartitionReaderFactory(conf, columns, options.readsInFlight(), skip, skip ? taskSkips : null);
  }

  /**
   * What this scan skipped as corrupt (onCorruptGranule=skip), each "file: reason": granules refused while planning,
   * then partitions cut short while reading (their rows stop at the failure, as with Spark's file sources).
   */
  synchronized List<String> skipped() {
    List<String> all = new java.util.ArrayList<>(plan == null ? List.of() : plan.skipped());
    if (taskSkips != null) {
      all.addAll(taskSkips.value());
    }
    return all;
  }

  synchronized ScanPlanner.Plan plan() {
    if (plan == null) {
      SparkSession spark = SparkSession.active();
      Configuration conf = options.hadoopConf(spark.sessionState().newHadoopConf());
      int parallelism = spark.sparkContext().defaultParallelism();
      if (options.catalog() != null) {
        try {
          plan = new CatalogScanPlanner(options, columns, pushed).plan(conf, parallelism);
        } catch (IOException e) {
          throw new UncheckedIOException("planning from catalog " + options.catalog() + ": " + e.getMessage(), e);
        }
      } else {
        plan = new ScanPlanner(options, columns, pushed, ignoreCorruptFiles(spark)).plan(conf, parallelism);
      }
    }
    return plan;
  }

  /** onCorruptGranule / ignoreCorruptFiles, else Spark's spark.sql.files.ignoreCorruptFiles. */
  private boolean ignoreCorruptFiles(SparkSession spark) {
    return options.skipCorruptGranules(spark.sessionState().conf().ignoreCorruptFiles());
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return Atl03Metrics.supported();
  }

  @Override
  public CustomTaskMetric[] reportDriverMetrics() {
    ScanPlanner.Plan p = plan();
    return new CustomTaskMetric[] {
      StorageMetrics.task(StorageMetrics.PLANNING_BYTES_READ, p.metadataBytes()),
      StorageMetrics.task(StorageMetrics.PLANNING_READ_REQUESTS, p.metadataRequests()),
      StorageMetrics.task(Atl03Metrics.CORRUPT_GRANULES_SKIPPED, p.skipped().size()),
      StorageMetrics.task(Atl03Metrics.CATALOG_FILES_READ, p.catalogFiles()),
      StorageMetrics.task(Atl03Metrics.CATALOG_BYTES_READ, p.catalogBytes())
    };
  }
}
