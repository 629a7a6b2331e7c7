package org.atl03.jobs.convert;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta Lake table of every column of the {@code atl03} source, Z-ordered on (lat_ph, lon_ph) by {@code OPTIMIZE
 * ZORDER BY} so that Delta's per-file min/max statistics skip files for a bbox. Built in a fresh table directory
 * ({@code delta._tmp-<uuid>}: write, optimize, vacuum the pre-optimize files) that is then renamed to {@code delta}:
 * the log stores file paths relative to the table, so the renamed table is whole, and readers never see a table
 * that is still being optimized.
 */
final class DeltaConversion implements Conversion {

  static final String NAME = "delta";

  /** OPTIMIZE's target file size: ~30 files for 10 M photons, the unit Delta's data skipping prunes. */
  static final long MAX_FILE_BYTES = 8L << 20;

  private final long maxFileBytes;

  DeltaConversion() {
    this(MAX_FILE_BYTES);
  }

  /** Another file size: for tests on small granules. */
  DeltaConversion(long maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean needsSpark() {
    return true;
  }

  @Override
  public List<String> convert(List<String> granules, String out, ConvertSettings settings, SparkSession spark)
      throws Exception {
    AtomicDirectory dir = AtomicDirectory.begin(settings.hadoopConf(), out, NAME);
    long start = System.nanoTime();
    long photons;
    try {
      Dataset<Row> source = spark.read().format("atl03").load(granules.toArray(String[]::new));
      photons = source.count(); // from the granules' metadata
      SessionConf.with(spark, Map.of(
          "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS",
          "spark.sql.parquet.compression.codec", "zstd",
          "spark.databricks.delta.optimize.maxFileSize", Long.toString(maxFileBytes),
          // the vacuum below runs on our own fresh table, before anyone can read it
          "spark.databricks.delta.retentionDurationCheck.enabled", "false"), () -> {
            source.write().format("delta").mode(SaveMode.ErrorIfExists).save(dir.temporary());
            DeltaTable table = DeltaTable.forPath(spark, dir.temporary());
            table.optimize().executeZOrderBy("lat_ph", "lon_ph");
            table.vacuum(0.0);
            return null;
          });
      dir.commit();
    } catch (Exception | Error e) {
      dir.abort(e);
      throw e;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ConvertedFiles written = ConvertedFiles.of(settings.hadoopConf(), dir.target());
    return List.of(String.format("%d granules -> %s: %d photons, %d data files, %d bytes, %.1f s, %.0f photons/s",
        granules.size(), dir.target(), photons, written.parquetFiles().size(), written.bytes(), seconds,
        photons / seconds));
  }

  @Override
  public Dataset<Row> read(SparkSession spark, String out) {
    return spark.read().format("delta").load(new Path(out, NAME).toString());
  }
}
