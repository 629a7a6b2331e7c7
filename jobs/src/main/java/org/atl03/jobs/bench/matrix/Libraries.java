package org.atl03.jobs.bench.matrix;

import java.util.LinkedHashMap;
import java.util.Map;

/** The versions of the Java libraries a run used, from the jar each class was loaded from. */
final class Libraries {

  private Libraries() {}

  static Map<String, Object> versions() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("spark", jar("org.apache.spark.sql.SparkSession"));
    v.put("hadoop", jar("org.apache.hadoop.fs.FileSystem"));
    v.put("sedona", jar("org.apache.sedona.spark.SedonaContext"));
    v.put("delta", jar("io.delta.tables.DeltaTable"));
    v.put("parquet", jar("org.apache.parquet.hadoop.ParquetFileReader"));
    v.put("jhdf", jar("io.jhdf.HdfFile"));
    v.put("flatgeobuf", jar("org.wololo.flatgeobuf.HeaderMeta"));
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  /** The jar file name of a class (its version is in the name), or null when not on the classpath. */
  static String jar(String className) {
    try {
      Class<?> c = Class.forName(className, false, Libraries.class.getClassLoader());
      var source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      String path = source.getLocation().getPath();
      return path.substring(path.lastIndexOf('/') + 1);
    } catch (ClassNotFoundException | SecurityException e) {
      return null;
    }
  }
}
