package org.atl03.jobs.convert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.io.InputFiles;
import org.atl03.jobs.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert ATL03 granules to other access formats, written atomically. Targets (--to, comma list):",
      "refs: kerchunk references (spec v1, Zarr v2 metadata) built from the chunk index in seconds.",
      "h5repack: OUT/h5repack/<granule>.h5, h5repack -S PAGE -G 8388608 (8 MiB paged aggregation).",
      "v007: OUT/v007/<granule>.h5, NSIDC's release-007 layout: photon-rate heights datasets in 100,000-photon",
      "  chunks (N×5 → 100000×5, filters kept) plus 8 MiB paged aggregation.",
      "flatgeobuf: one .fgb per granule, every photon a point with a packed Hilbert R-tree index.",
      "geoparquet: GeoParquet 1.1 (WKB points, OGC:CRS84, bbox covering column), Z-ordered on longitude and latitude.",
      "delta: a Delta Lake table, Z-ordered on longitude and latitude as written, for data skipping."
    })
public final class ConvertCommand implements Callable<Integer> {

  /** Every target, by its --to name. */
  static final Map<String, Conversion> TARGETS = targets(new RefsConversion(), H5repackConversion.paged(),
      H5repackConversion.v007(), new FlatGeobufConversion(), new GeoParquetConversion(), new DeltaConversion());

  /** Every registered target, by name, in registration order (verify and convert-bench go through all). */
  public static Map<String, Conversion> registered() {
    return java.util.Collections.unmodifiableMap(TARGETS);
  }

  @Option(names = "--to", required = true, split = ",", description = "Targets, comma list.")
  List<String> to;

  @Option(names = "--in", required = true, split = ",", description = "Granules: files, directories or globs.")
  List<String> in;

  @Option(names = "--out", required = true, description = "Output directory.")
  String out;

  @Option(names = "--inline-threshold", defaultValue = "0",
      description = "refs: inline chunks smaller than this many stored bytes (default ${DEFAULT-VALUE}: none).")
  int inlineThreshold;

  @Option(names = "--relative-urls", description = "refs: name the granule relative to the refs file.")
  boolean relativeUrls;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws Exception {
    for (String name : to) {
      if (!TARGETS.containsKey(name)) {
        throw new IllegalArgumentException("unknown --to target " + name + "; known: " + TARGETS.keySet());
      }
    }
    Configuration conf = new Configuration();
    List<String> granules = InputFiles.expand(conf, in, List.of(".h5", ".hdf5", ".he5"));
    ConvertSettings settings = new ConvertSettings(conf, inlineThreshold, relativeUrls);
    boolean anySpark = to.stream().anyMatch(name -> TARGETS.get(name).needsSpark());
    if (!anySpark) {
      return convertAll(granules, settings, null);
    }
    return spark.run("atl03 convert", session -> {
      try {
        return convertAll(granules, settings, session);
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
  }

  private int convertAll(List<String> granules, ConvertSettings settings, org.apache.spark.sql.SparkSession session)
      throws Exception {
    for (String name : to) {
      Conversion target = TARGETS.get(name);
      for (String line : target.convert(granules, out, settings, target.needsSpark() ? session : null)) {
        System.out.println(line);
      }
    }
    return 0;
  }

  private static Map<String, Conversion> targets(Conversion... conversions) {
    Map<String, Conversion> map = new LinkedHashMap<>();
    for (Conversion c : conversions) {
      map.put(c.name(), c);
    }
    return map;
  }
}
