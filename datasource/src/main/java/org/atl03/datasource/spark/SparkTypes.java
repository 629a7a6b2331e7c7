package org.atl03.datasource.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.atl03.datasource.hdf5.ElementType;

/**
 * HDF5 numeric types as Spark types, and copying decoded little-endian rows into column vectors. Unsigned
 * integers widen to the next signed type (u8 to decimal(20,0)) so that no value changes; a dataset with several
 * values per row (signal_conf_ph N×5) is an array column.
 */
public final class SparkTypes {

  private SparkTypes() {}

  public static DataType of(ElementType type, int rowElements, String describe) {
    DataType element = element(type, describe);
    return rowElements == 1 ? element : DataTypes.createArrayType(element, false);
  }

  private static DataType element(ElementType type, String describe) {
    switch (type.dataClass()) {
      case FLOAT:
        if (type.size() == 4) return DataTypes.FloatType;
        if (type.size() == 8) return DataTypes.DoubleType;
        break;
      case INTEGER:
        switch (type.size()) {
          case 1: return type.signed() ? DataTypes.ByteType : DataTypes.ShortType;
          case 2: return type.signed() ? DataTypes.ShortType : DataTypes.IntegerType;
          case 4: return type.signed() ? DataTypes.IntegerType : DataTypes.LongType;
          case 8: return type.signed() ? DataTypes.LongType : DataTypes.createDecimalType(20, 0);
          default: break;
        }
        break;
      default:
        break;
    }
    throw new UnsupportedOperationException(describe + ": element type " + type + " has no column type");
  }

  /**
   * Writes {@code rows} rows of little-endian {@code src} (starting at byte {@code srcOffset}) into {@code vector}
   * from row 0.
   */
  public static void fill(WritableColumnVector vector, ElementType type, int rowElements, byte[] src, int srcOffset, int rows) {
    if (rowElements == 1) {
      fillElements(vector, type, src, srcOffset, rows);
      return;
    }
    WritableColumnVector child = vector.arrayData();
    int elements = Math.multiplyExact(rows, rowElements);
    child.reserve(elements);
    fillElements(child, type, src, srcOffset, elements);
    for (int r = 0; r < rows; r++) {
      vector.putArray(r, r * rowElements, rowElements);
    }
  }

  private static void fillElements(WritableColumnVector v, ElementType type, byte[] src, int off, int n) {
    DataType target = v.dataType();
    if (type.dataClass() == ElementType.DataClass.FLOAT) {
      if (type.size() == 4) v.putFloatsLittleEndian(0, n, src, off);
      else v.putDoublesLittleEndian(0, n, src, off);
      return;
    }
    if (type.signed() || type.size() == 8 && !(target instanceof DecimalType)) {
      switch (type.size()) {
        case 1 -> v.putBytes(0, n, src, off);
        case 2 -> {
          ByteBuffer bb = ByteBuffer.wrap(src, off, n * 2).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < n; i++) v.putShort(i, bb.getShort());
        }
        case 4 -> v.putIntsLittleEndian(0, n, src, off);
        default -> v.putLongsLittleEndian(0, n, src, off);
      }
      return;
    }
    ByteBuffer bb = ByteBuffer.wrap(src, off, n * type.size()).order(ByteOrder.LITTLE_ENDIAN);
    switch (type.size()) {
      case 1 -> { for (int i = 0; i < n; i++) v.putShort(i, (short) (bb.get() & 0xff)); }
      case 2 -> { for (int i = 0; i < n; i++) v.putInt(i, bb.getShort() & 0xffff); }
      case 4 -> { for (int i = 0; i < n; i++) v.putLong(i, bb.getInt() & 0xffffffffL); }
      default -> {
        for (int i = 0; i < n; i++) {
          long raw = bb.getLong();
          v.putDecimal(i, Decimal.apply(new java.math.BigDecimal(Long.toUnsignedString(raw))), 20);
        }
      }
    }
  }

  public static boolean isArray(DataType type) {
    return type instanceof ArrayType;
  }
}
