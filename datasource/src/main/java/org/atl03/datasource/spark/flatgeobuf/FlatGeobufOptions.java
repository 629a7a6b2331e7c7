package org.atl03.datasource.spark.flatgeobuf;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.spark.SourceOptions;

/** The read options of one scan, parsed and checked (names, defaults and docs: {@link FlatGeobufReadOptions}). */
record FlatGeobufOptions(List<String> paths, double[] bbox, long featuresPerPartition, int maxGapBytes,
    Map<String, String> hadoopSettings)
    implements Serializable {

  static FlatGeobufOptions parse(CaseInsensitiveStringMap given) {
    CaseInsensitiveStringMap options = SourceOptions.checked("flatgeobuf", given, FlatGeobufReadOptions.ALL,
        Map.of());
    List<String> paths = SourceOptions.paths("flatgeobuf", options, "s3a://bucket/*.fgb");
    double[] bbox = null;
    if (options.containsKey(FlatGeobufReadOptions.BBOX)) {
      String[] parts = options.get(FlatGeobufReadOptions.BBOX).split(",");
      if (parts.length != 4) {
        throw new IllegalArgumentException("option bbox must be W,S,E,N: " + options.get(FlatGeobufReadOptions.BBOX));
      }
      bbox = new double[4];
      for (int i = 0; i < 4; i++) {
        try {
          bbox[i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("option bbox must be four numbers W,S,E,N: "
              + options.get(FlatGeobufReadOptions.BBOX));
        }
      }
      if (bbox[0] > bbox[2] || bbox[1] > bbox[3]) {
        throw new IllegalArgumentException("option bbox: W must be <= E and S <= N: "
            + options.get(FlatGeobufReadOptions.BBOX));
      }
    }
    long perPartition = options.getLong(FlatGeobufReadOptions.FEATURES_PER_PARTITION,
        FlatGeobufReadOptions.DEFAULT_FEATURES_PER_PARTITION);
    int maxGap = options.getInt(FlatGeobufReadOptions.MAX_GAP_BYTES, FlatGeobufReadOptions.DEFAULT_MAX_GAP_BYTES);
    if (perPartition < 1 || maxGap < 0) {
      throw new IllegalArgumentException("options featuresPerPartition must be >= 1 and maxGapBytes >= 0");
    }
    return new FlatGeobufOptions(paths, bbox, perPartition, maxGap, SourceOptions.hadoopSettings(options));
  }

  /** The session's Hadoop configuration with this read's settings on top. */
  Configuration hadoopConf(Configuration session) {
    return SourceOptions.withSettings(session, hadoopSettings);
  }
}
