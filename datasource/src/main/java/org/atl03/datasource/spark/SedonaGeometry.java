package org.atl03.datasource.spark;

import org.apache.spark.sql.types.UserDefinedType;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Apache Sedona's geometry column type, looked up at run time: the source and the SQL functions need Sedona only
 * when a geometry is asked for, and then say so plainly instead of failing on a missing class.
 */
public final class SedonaGeometry {

  /**
   * Field metadata of a point geometry column: its lon and lat columns ("lon_ph,lat_ph"), so that a spatial filter on
   * the geometry can be turned into ranges on them (org.atl03.udfs.polygon.EnvelopePushdown).
   */
  public static final String POINT_OF = "atl03.pointOf";

  static final String UDT_CLASS = "org.apache.spark.sql.sedona_sql.UDT.GeometryUDT$";

  /** Lon/lat in degrees, as Sedona's own constructors make them (floating precision, SRID 0). */
  private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 0);

  private SedonaGeometry() {}

  /** Whether Sedona is on the classpath. */
  public static boolean available() {
    try {
      udt();
      return true;
    } catch (ReflectiveOperationException | LinkageError e) {
      return false;
    }
  }

  /** Sedona's GeometryUDT (the instance its own expressions use); {@code usedBy} names what needs it in the error. */
  public static UserDefinedType<Object> type(String usedBy) {
    try {
      return udt();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(usedBy + " needs Apache Sedona on the classpath "
          + "(org.apache.sedona:sedona-spark-shaded-3.5_2.12 and org.datasyslab:geotools-wrapper; the "
          + "atl03-jobs-spark-submit jar has both): " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static UserDefinedType<Object> udt() throws ReflectiveOperationException {
    Class<?> c = Class.forName(UDT_CLASS, true, Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader()
        : SedonaGeometry.class.getClassLoader());
    return (UserDefinedType<Object>) c.getField("MODULE$").get(null);
  }

  /** A geometry in Sedona's serialized form (the column's storage). */
  public static byte[] serialize(UserDefinedType<Object> type, Geometry geometry) {
    return (byte[]) type.serialize(geometry);
  }

  /** A stored geometry value back as JTS. */
  public static Geometry deserialize(UserDefinedType<?> type, Object stored) {
    return (Geometry) type.deserialize(stored);
  }

  public static Points points(String usedBy) {
    return new Points(type(usedBy));
  }

  /** Serialized points, for a column of photons. */
  public static final class Points {
    private final UserDefinedType<Object> type;

    private Points(UserDefinedType<Object> type) {
      this.type = type;
    }

    public byte[] point(double lon, double lat) {
      return serialize(type, FACTORY.createPoint(new Coordinate(lon, lat)));
    }
  }
}
