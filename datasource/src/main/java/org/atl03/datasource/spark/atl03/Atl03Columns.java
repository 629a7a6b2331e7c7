package org.atl03.datasource.spark.atl03;

import java.util.List;
import org.atl03.datasource.atl03.catalog.GranuleSurvey;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The source's schema: a public contract. Names follow the ATL03 datasets so users find them; the first columns
 * describe where a photon comes from, the rest are its {@code gtx/heights} values.
 */
final class Atl03Columns {

  static final String GRANULE = "granule";
  static final String BEAM = "beam";
  static final String BEAM_STRENGTH = "beam_strength";
  static final String RGT = "rgt";
  static final String CYCLE = "cycle";
  static final String PHOTON_INDEX = "photon_index";
  static final String SEGMENT_ID = "segment_id";
  static final String DELTA_TIME = "delta_time";
  static final String TIME = "time";
  static final String LAT = "lat_ph";
  static final String LON = "lon_ph";
  static final String H = "h_ph";
  static final String SIGNAL_CONF = "signal_conf_ph";
  static final String QUALITY = "quality_ph";
  static final String GEOMETRY = "geometry";

  /** The heights datasets behind the default photon columns (time is computed from delta_time). */
  static final List<String> DEFAULT_HEIGHTS = GranuleSurvey.DEFAULT_HEIGHTS; // what a catalog keeps manifests of

  static final StructType DEFAULT_SCHEMA =
      new StructType(
          new StructField[] {
            field(GRANULE, DataTypes.StringType, false),
            field(BEAM, DataTypes.StringType, false),
            field(BEAM_STRENGTH, DataTypes.StringType, false),
            field(RGT, DataTypes.IntegerType, true),
            field(CYCLE, DataTypes.IntegerType, true),
            field(PHOTON_INDEX, DataTypes.LongType, false),
            field(SEGMENT_ID, DataTypes.IntegerType, false),
            field(DELTA_TIME, DataTypes.DoubleType, false),
            field(TIME, DataTypes.TimestampType, false),
            field(LAT, DataTypes.DoubleType, false),
            field(LON, DataTypes.DoubleType, false),
            field(H, DataTypes.FloatType, false),
            field(SIGNAL_CONF, DataTypes.createArrayType(DataTypes.ByteType, false), false),
            field(QUALITY, DataTypes.ByteType, false),
          });

  private Atl03Columns() {}

  static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, org.apache.spark.sql.types.Metadata.empty());
  }
}
