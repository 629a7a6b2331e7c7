package org.atl03.jobs.convert;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.sedona.spark.SedonaContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * GeoParquet 1.1 through Sedona: every column of the {@code atl03} source, plus {@code geometry} (WKB points
 * {@code ST_Point(lon_ph, lat_ph)}, OGC:CRS84) and the covering column {@code bbox} (xmin, ymin, xmax, ymax) that
 * the {@code geo} metadata names, so that readers prune row groups on its Parquet statistics. Photons are range
 * partitioned into files and sorted within each file by their {@link ZOrder} key (longitude and latitude bits
 * interleaved), so that a row group covers a small area. No directory partitioning (docs/formats.md).
 */
final class GeoParquetConversion implements Conversion {

  static final String NAME = "geoparquet";
  static final String GEOMETRY = "geometry";
  static final String BBOX = "bbox";

  /** Parquet row group size in bytes: ~100k photons, small enough that a ~1 % bbox skips most of them. */
  static final long ROW_GROUP_BYTES = 4L << 20;

  /** Photons per output file: files of ~100 MB, each a contiguous range of the Z-order. */
  static final long PHOTONS_PER_FILE = 4_000_000;

  private final long rowGroupBytes;
  private final long photonsPerFile;

  GeoParquetConversion() {
    this(ROW_GROUP_BYTES, PHOTONS_PER_FILE);
  }

  /** Other sizes: for tests on small granules. */
  GeoParquetConversion(long rowGroupBytes, long photonsPerFile) {
    this.rowGroupBytes = rowGroupBytes;
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
    SedonaContext.create(spark);
    AtomicDirectory dir = AtomicDirectory.begin(settings.hadoopConf(), out, NAME);
    long start = System.nanoTime();
    long photons;
    try {
      Dataset<Row> source = spark.read().format("atl03").load(granules.toArray(String[]::new));
      photons = source.count(); // reads no photon data: the counts come from the granules' metadata
      int files = (int) Math.max(1, (photons + photonsPerFile - 1) / photonsPerFile);
      Dataset<Row> geo = withGeometry(ZOrder.clustered(source, files));
      SessionConf.with(spark, Map.of(
          // INT96 is deprecated; GDAL, pyarrow and DuckDB read microsecond timestamps as timestamps
          "spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS",
          "spark.sql.parquet.compression.codec", "zstd"), () -> {
            geo.write()
                .format("geoparquet")
                .mode(SaveMode.ErrorIfExists)
                .option("geoparquet.version", "1.1.0")
                .option("geoparquet.crs", crs84())
                .option("geoparquet.covering." + GEOMETRY, BBOX)
                .option("parquet.block.size", Long.toString(rowGroupBytes))
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
    return List.of(String.format("%d granules -> %s: %d photons, %d files, %d row groups, %d bytes, %.1f s, "
            + "%.0f photons/s", granules.size(), dir.target(), photons, written.parquetFiles().size(),
        written.rowGroups(), written.bytes(), seconds, photons / seconds));
  }

  /** The source's columns, then the point geometry and its bbox covering. */
  static Dataset<Row> withGeometry(Dataset<Row> photons) {
    List<Column> columns = new ArrayList<>(Arrays.stream(photons.columns()).map(c -> col(c)).toList());
    columns.add(expr("ST_Point(lon_ph, lat_ph)").as(GEOMETRY));
    columns.add(struct(col("lon_ph").as("xmin"), col("lat_ph").as("ymin"), col("lon_ph").as("xmax"),
        col("lat_ph").as("ymax")).as(BBOX));
    return photons.select(columns.toArray(Column[]::new));
  }

  /** The table as photons: every column but geometry and bbox, under the atl03 source's names. */
  @Override
  public Dataset<Row> read(SparkSession spark, String out) {
    return spark.read().format("geoparquet").load(new Path(out, NAME).toString()).drop(GEOMETRY, BBOX);
  }

  /** OGC:CRS84 as PROJJSON, as the GeoParquet 1.1 spec's example file writes it. */
  static String crs84() throws IOException {
    try (InputStream in = GeoParquetConversion.class.getResourceAsStream("ogc-crs84.projjson")) {
      if (in == null) {
        throw new IOException("resource ogc-crs84.projjson missing from the jobs jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }
}
