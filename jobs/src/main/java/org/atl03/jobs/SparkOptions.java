package org.atl03.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Spark options shared by every job. Under spark-submit the master and conf come from spark-submit and win;
 * from ./atl03 the job runs on local Spark.
 */
public final class SparkOptions {

  @Option(
      names = "--master",
      description = "Spark master when not run by spark-submit (default: ${DEFAULT-VALUE}).",
      defaultValue = "local[*]")
  String master = "local[*]";

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "Extra Spark configuration, repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  /** Runs {@code job} in a session, stopping the session afterwards only if this call created it. */
  public int run(String appName, java.util.function.ToIntFunction<SparkSession> job) {
    boolean existed = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession session = session(appName);
    try {
      return job.applyAsInt(session);
    } finally {
      if (!existed) {
        session.stop();
      }
    }
  }

  public SparkSession session(String appName) {
    return session(appName, master);
  }

  /** As {@link #session(String)} on {@code master}: for a job with its own default master (scan-bench: local[2]). */
  public SparkSession session(String appName, String master) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (System.getProperty("spark.master") == null) {
      builder
          .master(master)
          // local runs: no UI port clashes between concurrent jobs and tests, small shuffles
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "8")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }
}
