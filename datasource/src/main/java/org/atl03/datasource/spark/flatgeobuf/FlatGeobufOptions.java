package org.atl03.datasource.spark.flatgeobuf;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Options of {@code format("flatgeobuf")} (case-insensitive):
 *
 * <ul>
 *   <li>{@code path} / {@code paths}: files, directories (their {@code *.fgb}) or globs, on any Hadoop FileSystem;
 *   <li>{@code bbox}: {@code W,S,E,N} in the layer's coordinates: only features whose geometry intersects the box
 *       (points inside it, edges included); with an index, only the index nodes and features it selects are read;
 *   <li>{@code featuresPerPartition}: features per Spark partition of an indexed file (default 1,000,000); a file
 *       without index is one partition;
 *   <li>{@code maxGapBytes}: neighbouring features (and index nodes) closer than this are fetched in one range read
 *       (default 65536).
 * </ul>
 */
record FlatGeobufOptions(List<String> paths, double[] bbox, long featuresPerPartition, int maxGapBytes)
    implements Serializable {

  static FlatGeobufOptions parse(CaseInsensitiveStringMap options) {
    List<String> paths = new ArrayList<>();
    if (options.containsKey("paths")) {
      try {
        paths.addAll(new ObjectMapper().readValue(options.get("paths"), new TypeReference<List<String>>() {}));
      } catch (Exception e) {
        throw new IllegalArgumentException("option paths is not a JSON list of strings: " + options.get("paths"));
      }
    }
    if (options.containsKey("path")) {
      paths.add(options.get("path"));
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("format(\"flatgeobuf\") needs a path: load(\"s3a://bucket/*.fgb\")");
    }
    double[] bbox = null;
    if (options.containsKey("bbox")) {
      String[] parts = options.get("bbox").split(",");
      if (parts.length != 4) {
        throw new IllegalArgumentException("option bbox must be W,S,E,N: " + options.get("bbox"));
      }
      bbox = new double[4];
      for (int i = 0; i < 4; i++) {
        try {
          bbox[i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("option bbox must be four numbers W,S,E,N: " + options.get("bbox"));
        }
      }
      if (bbox[0] > bbox[2] || bbox[1] > bbox[3]) {
        throw new IllegalArgumentException("option bbox: W must be <= E and S <= N: " + options.get("bbox"));
      }
    }
    long perPartition = options.getLong("featuresPerPartition", 1_000_000);
    int maxGap = options.getInt("maxGapBytes", 64 * 1024);
    if (perPartition < 1 || maxGap < 0) {
      throw new IllegalArgumentException("options featuresPerPartition must be >= 1 and maxGapBytes >= 0");
    }
    return new FlatGeobufOptions(List.copyOf(paths), bbox, perPartition, maxGap);
  }
}
