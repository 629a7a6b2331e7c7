package org.atl03.datasource.spark;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The scan's Spark UI metrics, each a driver-side sum ({@code X}) of task values ({@code TaskX}): what crossed the
 * byte seam and what was decoded, so a user sees that a bbox query read only the chunks it needed.
 */
final class Atl03Metrics {

  static final String BYTES_READ = "bytesRead";
  static final String READ_REQUESTS = "readRequests";
  static final String CHUNKS_DECODED = "chunksDecoded";
  static final String PHOTONS_SCANNED = "photonsScanned";
  static final String PHOTONS_RETURNED = "photonsReturned";
  static final String PLANNING_BYTES_READ = "planningBytesRead";
  static final String PLANNING_READ_REQUESTS = "planningReadRequests";
  static final String CORRUPT_GRANULES_SKIPPED = "corruptGranulesSkipped";
  static final String CORRUPT_PARTITIONS_SKIPPED = "corruptPartitionsSkipped";
  static final String STORE_RETRIES = "storeRetries";

  private Atl03Metrics() {}

  static CustomMetric[] supported() {
    return new CustomMetric[] {
      new BytesRead(), new ReadRequests(), new ChunksDecoded(), new PhotonsScanned(), new PhotonsReturned(),
      new PlanningBytesRead(), new PlanningReadRequests(), new CorruptGranulesSkipped(),
      new CorruptPartitionsSkipped(), new StoreRetries()
    };
  }

  static CustomTaskMetric task(String name, long value) {
    return new CustomTaskMetric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long value() {
        return value;
      }
    };
  }

  public static final class BytesRead extends CustomSumMetric {
    @Override
    public String name() {
      return BYTES_READ;
    }

    @Override
    public String description() {
      return "bytes read from storage by tasks";
    }
  }

  public static final class ReadRequests extends CustomSumMetric {
    @Override
    public String name() {
      return READ_REQUESTS;
    }

    @Override
    public String description() {
      return "range reads issued by tasks";
    }
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

  public static final class PlanningBytesRead extends CustomSumMetric {
    @Override
    public String name() {
      return PLANNING_BYTES_READ;
    }

    @Override
    public String description() {
      return "metadata bytes read while planning";
    }
  }

  public static final class PlanningReadRequests extends CustomSumMetric {
    @Override
    public String name() {
      return PLANNING_READ_REQUESTS;
    }

    @Override
    public String description() {
      return "metadata reads while planning";
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

  public static final class StoreRetries extends CustomSumMetric {
    @Override
    public String name() {
      return STORE_RETRIES;
    }

    @Override
    public String description() {
      return "reads the store's client retried after a failure";
    }
  }
}
