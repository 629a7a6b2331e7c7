package org.atl03.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import picocli.CommandLine;

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

  /** The --master given on {@code spec}'s command line, else {@code fallback} (the job's own default). */
  public String masterOr(CommandLine.Model.CommandSpec spec, String fallback) {
    return spec.commandLine().getParseResult().hasMatchedOption("--master") ? master : fallback;
  }

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
    deltaDefaults(new SparkConf(), conf).forEach(builder::config);
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }

  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";

  /**
   * Delta's session extension and catalog (convert --to delta needs them), when Delta is on the classpath and
   * neither spark-submit's configuration ({@code submitted}: the spark.* system properties) nor --conf sets them:
   * an extensions list without Delta gets Delta appended; a catalog already set is kept.
   */
  static Map<String, String> deltaDefaults(SparkConf submitted, Map<String, String> conf) {
    Map<String, String> settings = new LinkedHashMap<>();
    try {
      Class.forName(DELTA_EXTENSION, false, SparkOptions.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return settings;
    }
    String extensions = conf.getOrDefault("spark.sql.extensions", submitted.get("spark.sql.extensions", ""));
    if (!extensions.contains(DELTA_EXTENSION)) {
      settings.put("spark.sql.extensions",
          extensions.isBlank() ? DELTA_EXTENSION : extensions + "," + DELTA_EXTENSION);
    }
    // Delta rebuilds a table's state in 50 partitions by default: 50 tasks on every catalog query a scan plans
    // from, for a log of a few files (a catalog query took 0.7-1.3 s with 50, 0.26-0.44 s with 1, measured)
    String partitions = "spark.databricks.delta.snapshotPartitions";
    if (!conf.containsKey(partitions) && !submitted.contains(partitions)) {
      settings.put(partitions, "1");
    }
    String catalog = "spark.sql.catalog.spark_catalog";
    if (!conf.containsKey(catalog) && !submitted.contains(catalog)) {
      settings.put(catalog, "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    return settings;
  }
}
