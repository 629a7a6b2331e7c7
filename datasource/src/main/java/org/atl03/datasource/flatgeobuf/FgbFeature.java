package org.atl03.datasource.flatgeobuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBWriter;
import org.wololo.flatgeobuf.GeometryConversions;
import org.wololo.flatgeobuf.generated.ColumnType;
import org.wololo.flatgeobuf.generated.Feature;
import org.wololo.flatgeobuf.generated.GeometryType;

/**
 * A reusable view of one feature in a buffer: its geometry (point coordinates without allocation, else a JTS
 * geometry or WKB) and where each property's value lies. Property values are read by type from {@link #buffer()}
 * at {@link #valueAt(int)}: fixed-size numbers little-endian, strings/JSON/date-times/binaries as a uint32 length
 * followed by the bytes.
 */
public final class FgbFeature {

  private final FgbHeader header;
  private final int[] valuePos;
  private final Feature feature = new Feature();
  private final org.wololo.flatgeobuf.generated.Geometry geometry = new org.wololo.flatgeobuf.generated.Geometry();
  private ByteBuffer buffer;
  private String location;
  private boolean hasGeometry;
  private long featureBytes; // the size prefix of the current feature, bound on what its geometry may state

  public FgbFeature(FgbHeader header) {
    this.header = header;
    this.valuePos = new int[header.columns().size()];
  }

  /**
   * Points the view at the flatbuffer of a feature starting at {@code start} (after its size prefix) in
   * {@code buf} and locates its properties.
   *
   * @param where file and offset, for messages
   * @throws IllegalArgumentException naming {@code where} when the properties are malformed
   */
  public FgbFeature wrap(ByteBuffer buf, int start, String where) {
    try {
      return parse(buf, start, where);
    } catch (IllegalArgumentException e) {
      if (String.valueOf(e.getMessage()).startsWith(where)) {
        throw e;
      }
      throw new IllegalArgumentException(where + ": corrupt feature: " + e, e);
    } catch (RuntimeException e) {
      // flatbuffers' generated accessors trust every offset and length: on corrupt bytes they throw index,
      // limit and null-pointer exceptions that name nothing
      throw new IllegalArgumentException(where + ": corrupt feature: " + e, e);
    }
  }

  /** Bound on geometry parts nested in parts (a multipolygon's polygons are one level). */
  private static final int MAX_PART_DEPTH = 8;

  /**
   * Refuses a geometry whose vectors state more elements than the feature's bytes can hold: decoding trusts those
   * lengths, and a corrupt one would make it allocate and loop for hundreds of millions of coordinates. The bound
   * is on the whole tree of parts: in a valid feature no two vectors share bytes, whereas corrupt parts can all
   * point at the same large vector and multiply it.
   *
   * @return the bytes the geometry and its parts state, at most {@code budget}
   */
  private long checkGeometry(org.wololo.flatgeobuf.generated.Geometry g, long budget, int depth) {
    if (depth > MAX_PART_DEPTH) {
      throw new IllegalArgumentException(location + ": geometry parts nested deeper than " + MAX_PART_DEPTH);
    }
    g.type(); // read once here, where a corrupt offset is caught and named
    long bytes = 8L * g.xyLength() + 8L * g.zLength() + 8L * g.mLength() + 8L * g.tLength()
        + 8L * g.tmLength() + 4L * g.endsLength() + 4L * g.partsLength();
    if (bytes > budget) {
      throw new IllegalArgumentException(location + ": geometry states more bytes of coordinates and parts than "
          + "the feature's " + featureBytes + " bytes hold");
    }
    // ring ends index the coordinates, and the decoder copies ranges between them (padding past the end)
    long previous = 0;
    for (int i = 0; i < g.endsLength(); i++) {
      long end = g.ends(i);
      if (end < previous || end > g.xyLength() / 2) {
        throw new IllegalArgumentException(location + ": geometry ring end " + end + " is outside its "
            + g.xyLength() / 2 + " coordinates or before the previous end " + previous);
      }
      previous = end;
    }
    org.wololo.flatgeobuf.generated.Geometry part = new org.wololo.flatgeobuf.generated.Geometry();
    for (int i = 0; i < g.partsLength(); i++) {
      if (g.parts(part, i) != null) {
        bytes += checkGeometry(part, budget - bytes, depth + 1);
      }
    }
    return bytes;
  }

  private FgbFeature parse(ByteBuffer buf, int start, String where) {
    this.buffer = buf.order(ByteOrder.LITTLE_ENDIAN);
    this.location = where;
    featureBytes = start >= 4 ? buf.getInt(start - 4) & 0xffffffffL : buf.limit() - start;
    feature.__init(buf.getInt(start) + start, buf);
    hasGeometry = feature.geometry(geometry) != null;
    if (hasGeometry) {
      checkGeometry(geometry, featureBytes, 0);
    }
    Arrays.fill(valuePos, -1);
    int len = feature.propertiesLength();
    if (len > 0) {
      ByteBuffer props = feature.propertiesAsByteBuffer();
      int pos = props.position();
      int end = props.limit();
      while (pos < end) {
        if (pos + 2 > end) {
          break; // a trailing pad byte, as some writers leave (flatgeobuf's alldatatypes.fgb); GDAL ignores it
        }
        int column = buf.getShort(pos) & 0xffff;
        pos += 2;
        if (column >= valuePos.length) {
          throw new IllegalArgumentException(
              where + ": property of column " + column + " but the header has " + valuePos.length + " columns");
        }
        valuePos[column] = pos;
        int size = valueSize(header.columns().get(column).type(), buf, pos, where);
        pos += size;
        if (pos > end) {
          throw new IllegalArgumentException(where + ": property '" + header.columns().get(column).name()
              + "' runs past the feature's properties");
        }
      }
    }
    return this;
  }

  private static int valueSize(int type, ByteBuffer buf, int pos, String where) {
    return switch (type) {
      case ColumnType.Byte, ColumnType.UByte, ColumnType.Bool -> 1;
      case ColumnType.Short, ColumnType.UShort -> 2;
      case ColumnType.Int, ColumnType.UInt, ColumnType.Float -> 4;
      case ColumnType.Long, ColumnType.ULong, ColumnType.Double -> 8;
      case ColumnType.String, ColumnType.Json, ColumnType.DateTime, ColumnType.Binary -> {
        long n = buf.getInt(pos) & 0xffffffffL;
        if (n > buf.limit() - pos - 4) {
          throw new IllegalArgumentException(where + ": a value of " + n + " bytes runs past the feature");
        }
        yield 4 + (int) n;
      }
      default -> throw new IllegalArgumentException(where + ": unknown FlatGeobuf column type " + type);
    };
  }

  public ByteBuffer buffer() {
    return buffer;
  }

  /** Position of column {@code column}'s value in {@link #buffer()}, or -1 when the feature has none (null). */
  public int valueAt(int column) {
    return valuePos[column];
  }

  /** The bytes of a string, JSON, date-time or binary value at {@code pos}. */
  public byte[] bytesAt(int pos) {
    int n = buffer.getInt(pos); // wrap() checked that the value lies inside the feature
    byte[] bytes = new byte[n];
    buffer.get(pos + 4, bytes);
    return bytes;
  }

  public String stringAt(int pos) {
    return new String(bytesAt(pos), StandardCharsets.UTF_8);
  }

  public boolean hasGeometry() {
    return hasGeometry && (geometry.xyLength() > 0 || geometry.partsLength() > 0);
  }

  /** Whether the geometry is a single point (x, y available without allocation). */
  public boolean isPoint() {
    return hasGeometry() && geometryType() == GeometryType.Point && geometry.xyLength() >= 2;
  }

  private int geometryType() {
    return header.geometryType() != GeometryType.Unknown ? header.geometryType() : geometry.type();
  }

  public double x() {
    return geometry.xy(0);
  }

  public double y() {
    return geometry.xy(1);
  }

  /** The geometry as JTS, or null when the feature has none. */
  public Geometry geometry() {
    if (!hasGeometry()) {
      return null;
    }
    try {
      return GeometryConversions.deserialize(geometry, geometryType());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(location + ": cannot decode the geometry: " + e, e);
    }
  }

  /** Whether the geometry intersects the box (points exactly, other geometries with JTS), false without one. */
  public boolean intersects(double minX, double minY, double maxX, double maxY) {
    if (isPoint()) {
      double x = x();
      double y = y();
      return x >= minX && x <= maxX && y >= minY && y <= maxY;
    }
    Geometry g = geometry();
    if (g == null) {
      return false;
    }
    Envelope box = new Envelope(minX, maxX, minY, maxY);
    if (!g.getEnvelopeInternal().intersects(box)) {
      return false;
    }
    return g.intersects(g.getFactory().toGeometry(box));
  }

  /** The geometry as ISO WKB (little-endian), or null when the feature has none. */
  public byte[] wkb() {
    if (isPoint() && !header.hasZ() && !header.hasM()) {
      ByteBuffer b = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
      b.put((byte) 1).putInt(1).putDouble(x()).putDouble(y());
      return b.array();
    }
    Geometry g = geometry();
    if (g == null) {
      return null;
    }
    int dims = header.hasZ() ? 3 : 2;
    return new WKBWriter(dims, org.locationtech.jts.io.ByteOrderValues.LITTLE_ENDIAN).write(g);
  }
}
