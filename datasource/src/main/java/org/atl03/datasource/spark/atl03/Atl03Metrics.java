package org.atl03.datasource.spark.atl03;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.atl03.datasource.spark.StorageMetrics;

/**
 * The scan's Spark UI metrics, each a driver-side sum ({@code X}) of task values ({@code TaskX}): what crossed the
 * byte seam and what was decoded, so a user sees that a bbox query read only the chunks it needed.
 */
final class Atl03Metrics {

  static final String CHUNKS_DECODED = "chunksDecoded";
  static final String PHOTONS_SCANNED = "photonsScanned";
  static final String PHOTONS_RETURNED = "photonsReturned";
  static final String CORRUPT_GRANULES_SKIPPED = "corruptGranulesSkipped";
  static final String CORRUPT_PARTITIONS_SKIPPED = "corruptPartitionsSkipped";
  static final String CATALOG_FILES_READ = "catalogFilesRead";
  static final String CATALOG_BYTES_READ = "catalogBytesRead";

  private Atl03Metrics() {}

  static CustomMetric[] supported() {
    return new CustomMetric[] {
      new StorageMetrics.BytesRead(), new StorageMetrics.ReadRequests(), new ChunksDecoded(), new PhotonsScanned(),
      new PhotonsReturned(), new StorageMetrics.PlanningBytesRead(), new StorageMetrics.PlanningReadRequests(),
      new CorruptGranulesSkipped(), new CorruptPartitionsSkipped(), new StorageMetrics.StoreRetries(),
      new CatalogFilesRead(), new CatalogBytesRead()
    };
  }

  public static final class ChunksDecoded extends CustomSumMetric {
    @Override
    public String name() {
      return CHUNKS_DECODED;
    }

    @Override
    public String description() {
      return "chunks decoded";
    }
  }

  public static final class PhotonsScanned extends CustomSumMetric {
    @Override
    public String name() {
      return PHOTONS_SCANNED;
    }

    @Override
    public String description() {
      return "photons decoded";
    }
  }

  public static final class PhotonsReturned extends CustomSumMetric {
    @Override
    public String name() {
      return PHOTONS_RETURNED;
    }

    @Override
    public String description() {
      return "photons returned after segment pruning";
    }
  }

  public static final class CorruptGranulesSkipped extends CustomSumMetric {
    @Override
    public String name() {
      return CORRUPT_GRANULES_SKIPPED;
    }

    @Override
    public String description() {
      return "corrupt granules skipped while planning (onCorruptGranule=skip)";
    }
  }

  public static final class CorruptPartitionsSkipped extends CustomSumMetric {
    @Override
    public String name() {
      return CORRUPT_PARTITIONS_SKIPPED;
    }

    @Override
    public String description() {
      return "partitions cut short by corrupt data (onCorruptGranule=skip)";
    }
  }

  public static final class CatalogFilesRead extends CustomSumMetric {
    @Override
    public String name() {
      return CATALOG_FILES_READ;
    }

    @Override
    public String description() {
      return "catalog files read while planning (those data skipping left)";
    }
  }

  public static final class CatalogBytesRead extends CustomSumMetric {
    @Override
    public String name() {
      return CATALOG_BYTES_READ;
    }

    @Override
    public String description() {
      return "bytes of the catalog files read while planning";
    }
  }
}
