package org.atl03.jobs.convert;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta Lake table of every column of the {@code atl03} source, Z-ordered on (lon_ph, lat_ph) so that Delta's
 * per-file min/max statistics skip files for a bbox. The order is laid out as the table is written, in one commit:
 * photons range-partitioned on their {@link ZOrder} key into files of {@code photonsPerFile} and sorted within
 * each, the layout {@code OPTIMIZE ZORDER BY} would produce, without writing the data twice. Built in a fresh table
 * directory ({@code delta._tmp-<uuid>}) that is then renamed to {@code delta}: the log stores file paths relative to
 * the table, so the renamed table is whole.
 */
final class DeltaConversion implements Conversion {

  static final String NAME = "delta";

  /** Photons per data file: ~8 MB files (21 bytes a photon), the unit Delta's data skipping prunes. */
  static final long PHOTONS_PER_FILE = 400_000;

  private final long photonsPerFile;

  DeltaConversion() {
    this(PHOTONS_PER_FILE);
  }

  /** Another file size: for tests on small granules. */
  DeltaConversion(long photonsPerFile) {
    this.photonsPerFile = photonsPerFile;
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
          "spark.sql.parquet.compression.codec", "zstd"), () -> {
            int files = (int) Math.max(1, (photons + photonsPerFile - 1) / photonsPerFile);
            ZOrder.clustered(source, files).write().format("delta").mode(SaveMode.ErrorIfExists)
                .save(dir.temporary());
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
