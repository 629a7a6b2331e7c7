package org.atl03.jobs.convert;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.kerchunk.RefsWriter;
import org.atl03.datasource.spark.GranuleSettings;

/** kerchunk references (spec v1, Zarr v2 metadata) from the chunk index, one JSON per granule. */
public final class RefsConversion implements Conversion {

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
      RefsWriter.Summary s = write(granule, refs, settings.hadoopConf(), options);
      lines.add(String.format("%s -> %s: %d arrays, %d chunk refs (%d inlined), %.2f s%s", granule, refs,
          s.arrays(), s.chunkRefs(), s.inlined(), (System.nanoTime() - start) / 1e9,
          s.skipped().isEmpty() ? "" : ", skipped non-numeric " + s.skipped().size()));
    }
    return lines;
  }

  /** Writes the references of {@code granule}, opened as every granule is ({@link Granules#openHdf5}). */
  public static RefsWriter.Summary write(String granule, String refs, Configuration conf, RefsWriter.Options options)
      throws IOException {
    try (Hdf5File h5 = Granules.openHdf5(granule, new HadoopStorage(conf), GranuleSettings.from(conf))) {
      return RefsWriter.convert(h5, refs, conf, options);
    }
  }

  @Override
  public Dataset<Row> read(SparkSession spark, String out) {
    return spark.read().format("atl03").load(new Path(new Path(out), "*.json").toString());
  }
}
