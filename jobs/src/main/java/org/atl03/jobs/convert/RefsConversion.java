package org.atl03.jobs.convert;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.kerchunk.RefsWriter;

/** kerchunk references (spec v1, Zarr v2 metadata) from the chunk index, one JSON per granule. */
final class RefsConversion implements Conversion {

  @Override
  public String name() {
    return "refs";
  }

  @Override
  public boolean needsSpark() {
    return false;
  }

  @Override
  public List<String> convert(List<String> granules, String out, ConvertSettings settings, SparkSession spark)
      throws Exception {
    RefsWriter.Options options = RefsWriter.Options.DEFAULT.withInlineThreshold(settings.inlineThreshold())
        .withRelativeUrls(settings.relativeUrls());
    List<String> lines = new ArrayList<>();
    for (String granule : granules) {
      String name = new Path(granule).getName().replaceFirst("\\.(h5|hdf5|he5)$", "") + ".json";
      String refs = new Path(new Path(out), name).toString();
      long start = System.nanoTime();
      RefsWriter.Summary s = RefsWriter.convert(granule, refs, settings.hadoopConf(), options);
      lines.add(String.format("%s -> %s: %d arrays, %d chunk refs (%d inlined), %.2f s%s", granule, refs,
          s.arrays(), s.chunkRefs(), s.inlined(), (System.nanoTime() - start) / 1e9,
          s.skipped().isEmpty() ? "" : ", skipped non-numeric " + s.skipped().size()));
    }
    return lines;
  }

  @Override
  public Dataset<Row> read(SparkSession spark, String out) {
    return spark.read().format("atl03").load(new Path(new Path(out), "*.json").toString());
  }
}
