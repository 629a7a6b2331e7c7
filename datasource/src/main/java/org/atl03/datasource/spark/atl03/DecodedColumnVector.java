package org.atl03.datasource.spark.atl03;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.hdf5.ElementType;

/**
 * A read-only column over decoded little-endian rows where they lie (a span buffer of the partition reader), so a
 * batch costs no copy into Spark's own vectors: values are read on demand, widened as {@code SparkTypes.of} types
 * them (unsigned integers to the next signed type, u8 to decimal(20,0)). A dataset with several values per row
 * (signal_conf_ph N×5) is an array column whose elements view the same bytes. ATL03 datasets have no nulls (fill
 * values are values).
 */
final class DecodedColumnVector extends ColumnVector {

  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private final int size; // bytes of one element
  private final int rowElements;
  private final boolean photonTime; // a timestamp computed from delta_time seconds since timeEpoch
  private final double timeEpoch;
  private final DecodedColumnVector elements; // array columns: the elements, viewing the same bytes
  private byte[] bytes = new byte[0];
  private int base; // where row 0 starts in bytes

  /** A column of {@code type} (as {@code SparkTypes.of} gives it) over elements of {@code element}. */
  DecodedColumnVector(DataType type, ElementType element, int rowElements) {
    this(type, element.size(), rowElements, Double.NaN);
  }

  private DecodedColumnVector(DataType type, int size, int rowElements, double timeEpoch) {
    super(type);
    this.size = size;
    this.rowElements = rowElements;
    this.photonTime = !Double.isNaN(timeEpoch);
    this.timeEpoch = timeEpoch;
    this.elements = rowElements == 1 ? null
        : new DecodedColumnVector(((ArrayType) type).elementType(), size, 1, Double.NaN);
  }

  /** A timestamp column computed from delta_time (float8 seconds since {@code sdpGpsEpoch}) as it is read. */
  static DecodedColumnVector photonTime(double sdpGpsEpoch) {
    return new DecodedColumnVector(DataTypes.TimestampType, 8, 1, sdpGpsEpoch);
  }

  /**
   * Points the column at the rows of {@code bytes} from row {@code firstRow} on (rows of this column's width, from
   * byte 0); they must stay unchanged while read.
   */
  void view(byte[] bytes, int firstRow) {
    at(bytes, firstRow * rowElements * size);
  }

  private void at(byte[] bytes, int base) {
    this.bytes = bytes;
    this.base = base;
    if (elements != null) {
      elements.at(bytes, base);
    }
  }

  private int at(int rowId) {
    return base + rowId * size;
  }

  @Override
  public boolean hasNull() {
    return false;
  }

  @Override
  public int numNulls() {
    return 0;
  }

  @Override
  public boolean isNullAt(int rowId) {
    return false;
  }

  @Override
  public byte getByte(int rowId) {
    return bytes[at(rowId)];
  }

  @Override
  public short getShort(int rowId) {
    return size == 1 ? (short) (bytes[at(rowId)] & 0xff) : (short) SHORT.get(bytes, at(rowId));
  }

  @Override
  public int getInt(int rowId) {
    return size == 2 ? (short) SHORT.get(bytes, at(rowId)) & 0xffff : (int) INT.get(bytes, at(rowId));
  }

  @Override
  public long getLong(int rowId) {
    if (photonTime) {
      return AtlasSdpTime.toUnixMicros((double) DOUBLE.get(bytes, at(rowId)), timeEpoch);
    }
    return size == 4 ? (int) INT.get(bytes, at(rowId)) & 0xffffffffL : (long) LONG.get(bytes, at(rowId));
  }

  @Override
  public float getFloat(int rowId) {
    return (float) FLOAT.get(bytes, at(rowId));
  }

  @Override
  public double getDouble(int rowId) {
    return (double) DOUBLE.get(bytes, at(rowId));
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    long raw = (long) LONG.get(bytes, at(rowId));
    return Decimal.apply(new BigDecimal(Long.toUnsignedString(raw)), precision, scale);
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    return new ColumnarArray(elements, rowId * rowElements, rowElements);
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    return null;
  }

  @Override
  public boolean getBoolean(int rowId) {
    throw unsupported("boolean");
  }

  @Override
  public ColumnarMap getMap(int ordinal) {
    throw unsupported("map");
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    throw unsupported("string");
  }

  @Override
  public byte[] getBinary(int rowId) {
    throw unsupported("binary");
  }

  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException("a " + type.simpleString() + " column has no " + what + " values");
  }

  @Override
  public void close() {
    bytes = new byte[0]; // the buffer is the reader's: only let go of it
  }
}
