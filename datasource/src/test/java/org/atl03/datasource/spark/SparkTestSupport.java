package org.atl03.datasource.spark;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;

/** A local Spark for tests, and the atl03 scan's metrics of an executed query. */
public final class SparkTestSupport {

  private SparkTestSupport() {}

  public static SparkSession localSpark() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("atl03 tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false") // plain plans, so the scan node and its metrics are found
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        // catalogs are Delta tables
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
  }

  /** The custom metrics (bytesRead, photonsScanned, ...) of the query's atl03 scan; run the query first. */
  public static Map<String, Long> scanMetrics(Dataset<Row> executed) {
    return Atl03ScanMetrics.of(executed);
  }

  /** The values of a read options class's public String constants: the option names it documents. */
  public static Set<String> optionNames(Class<?> options) {
    Set<String> names = new TreeSet<>();
    for (Field f : options.getDeclaredFields()) {
      if (Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          names.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }
}
