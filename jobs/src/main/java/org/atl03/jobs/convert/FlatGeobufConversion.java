package org.atl03.jobs.convert;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.flatgeobuf.PointFileWriter;
import org.wololo.flatgeobuf.ColumnMeta;
import org.wololo.flatgeobuf.generated.ColumnType;

/**
 * One FlatGeobuf file per granule ({@code OUT/flatgeobuf/<granule>.fgb}): every photon of every beam as a point
 * (lon_ph, lat_ph) in EPSG:4326 with a packed Hilbert R-tree index, and the properties granule, beam,
 * beam_strength, photon_index (long), segment_id, delta_time, h_ph, quality_ph and signal_conf_ph as five byte
 * columns ({@code signal_conf_ph_land, _ocean, _sea_ice, _land_ice, _inland_water}: queryable in GDAL/QGIS, where a
 * binary would not be). Photons stream from {@code format("atl03")} one partition at a time
 * ({@code toLocalIterator}); see {@link PointFileWriter} for how the index is built with 8 heap bytes per photon.
 * The file is written locally (beside the target when OUT is local, else in java.io.tmpdir and copied) and renamed
 * into place.
 */
final class FlatGeobufConversion implements Conversion {

  static final String DIR = "flatgeobuf";
  static final String[] SIGNAL_CONF = {"land", "ocean", "sea_ice", "land_ice", "inland_water"};

  @Override
  public String name() {
    return "flatgeobuf";
  }

  @Override
  public boolean needsSpark() {
    return true;
  }

  static List<ColumnMeta> columns() {
    List<ColumnMeta> columns = new ArrayList<>();
    columns.add(column("granule", ColumnType.String));
    columns.add(column("beam", ColumnType.String));
    columns.add(column("beam_strength", ColumnType.String));
    columns.add(column("photon_index", ColumnType.Long));
    columns.add(column("segment_id", ColumnType.Int));
    columns.add(column("delta_time", ColumnType.Double));
    columns.add(column("h_ph", ColumnType.Float));
    columns.add(column("quality_ph", ColumnType.Byte));
    for (String s : SIGNAL_CONF) {
      columns.add(column("signal_conf_ph_" + s, ColumnType.Byte));
    }
    return columns;
  }

  private static ColumnMeta column(String name, int type) {
    ColumnMeta c = new ColumnMeta();
    c.name = name;
    c.type = (byte) type;
    c.nullable = false;
    return c;
  }

  @Override
  public List<String> convert(List<String> granules, String out, ConvertSettings settings, SparkSession spark)
      throws Exception {
    List<String> lines = new ArrayList<>();
    Path dir = new Path(new Path(out), DIR);
    FileSystem fs = dir.getFileSystem(settings.hadoopConf());
    boolean local = "file".equals(fs.getUri().getScheme());
    for (String granule : granules) {
      String name = new Path(granule).getName().replaceFirst("\\.(h5|hdf5|he5)$", "");
      Path target = new Path(dir, name + ".fgb");
      java.nio.file.Path localTarget = local
          ? java.nio.file.Path.of(fs.makeQualified(target).toUri())
          : Files.createTempDirectory("atl03-fgb").resolve(name + ".fgb");
      long start = System.nanoTime();
      long size;
      long photons;
      try (PointFileWriter writer = new PointFileWriter(localTarget, name, columns(), 4326)) {
        Dataset<Row> photonRows = spark.read().format("atl03").load(granule).select("granule", "beam",
            "beam_strength", "photon_index", "segment_id", "delta_time", "h_ph", "quality_ph", "signal_conf_ph",
            "lon_ph", "lat_ph");
        PointFileWriter.Properties p = new PointFileWriter.Properties();
        Iterator<Row> it = photonRows.toLocalIterator();
        while (it.hasNext()) {
          Row r = it.next();
          p.clear().putString(0, r.getString(0)).putString(1, r.getString(1)).putString(2, r.getString(2))
              .putLong(3, r.getLong(3)).putInt(4, r.getInt(4)).putDouble(5, r.getDouble(5)).putFloat(6, r.getFloat(6))
              .putByte(7, r.getByte(7));
          List<Object> conf = r.getList(8);
          if (conf.size() != SIGNAL_CONF.length) {
            throw new IllegalStateException(granule + " " + r.getString(1) + " photon " + r.getLong(3)
                + ": signal_conf_ph has " + conf.size() + " values, expected " + SIGNAL_CONF.length);
          }
          for (int i = 0; i < SIGNAL_CONF.length; i++) {
            p.putByte(8 + i, (Byte) conf.get(i));
          }
          writer.add(r.getDouble(9), r.getDouble(10), p);
        }
        photons = writer.count();
        size = writer.finish();
      }
      if (!local) {
        Path tmp = new Path(dir, "_tmp." + name + ".fgb");
        fs.copyFromLocalFile(true, true, new Path(localTarget.toUri()), tmp);
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
          throw new java.io.IOException("cannot rename " + tmp + " to " + target);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      lines.add(String.format("%s -> %s: %d photons, %d bytes, %.1f s (%.0f photons/s)", granule, target, photons,
          size, seconds, photons / seconds));
    }
    return lines;
  }

  @Override
  public Dataset<Row> read(SparkSession spark, String out) {
    return spark.read().format("flatgeobuf").load(new Path(new Path(out), DIR + "/*.fgb").toString())
        .selectExpr("granule", "beam", "beam_strength", "photon_index", "segment_id", "delta_time",
            "x AS lon_ph", "y AS lat_ph", "h_ph",
            "array(signal_conf_ph_land, signal_conf_ph_ocean, signal_conf_ph_sea_ice, signal_conf_ph_land_ice,"
                + " signal_conf_ph_inland_water) AS signal_conf_ph",
            "quality_ph");
  }
}
