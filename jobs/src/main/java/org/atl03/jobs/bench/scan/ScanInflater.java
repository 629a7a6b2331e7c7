package org.atl03.jobs.bench.scan;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.hdf5.ZlibInflate;

/** Which inflater the scan's tasks use: asked of the executors themselves, where the scan decodes. */
final class ScanInflater {

  private ScanInflater() {}

  /** The inflaters the executors use, joined by " + " when they differ (a cluster with libdeflate on some nodes). */
  static String onExecutors(SparkSession session) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(session.sparkContext());
    int slots = context.defaultParallelism();
    List<String> found = context.parallelize(IntStream.range(0, slots).boxed().toList(), slots)
        .map(i -> ZlibInflate.implementation()).distinct().collect();
    return String.join(" + ", found.stream().sorted().toList());
  }
}
