package org.atl03.datasource.spark;

import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The Spark UI metrics of the byte seam, shared by every source: a driver-side sum ({@code X}) of task values
 * ({@code TaskX}) under the same names, so bytes and requests read the same whichever format was scanned.
 */
public final class StorageMetrics {

  public static final String BYTES_READ = "bytesRead";
  public static final String READ_REQUESTS = "readRequests";
  public static final String PLANNING_BYTES_READ = "planningBytesRead";
  public static final String PLANNING_READ_REQUESTS = "planningReadRequests";
  public static final String STORE_RETRIES = "storeRetries";

  private StorageMetrics() {}

  public static CustomTaskMetric task(String name, long value) {
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
