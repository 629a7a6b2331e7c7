package org.atl03.datasource.spark.flatgeobuf;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.atl03.datasource.spark.StorageMetrics;

/** The flatgeobuf scan's Spark UI metrics (names shared with the atl03 scan where they mean the same). */
final class FlatGeobufMetrics {

  static final String FEATURES_READ = "featuresRead";

  private FlatGeobufMetrics() {}

  static CustomMetric[] supported() {
    return new CustomMetric[] {
      new StorageMetrics.BytesRead(), new StorageMetrics.ReadRequests(), new FeaturesRead(),
      new StorageMetrics.PlanningBytesRead(), new StorageMetrics.PlanningReadRequests()
    };
  }

  public static final class FeaturesRead extends CustomSumMetric {
    @Override
    public String name() {
      return FEATURES_READ;
    }

    @Override
    public String description() {
      return "features decoded";
    }
  }
}
