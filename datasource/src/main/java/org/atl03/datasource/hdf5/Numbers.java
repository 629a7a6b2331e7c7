package org.atl03.datasource.hdf5;

import java.nio.ByteBuffer;

/** Widening of one stored element to double, respecting signedness. */
final class Numbers {
  private Numbers() {
  }

  /** Reads the element at byte {@code index} of {@code buf} (whose order must already be set). */
  static double toDouble(ByteBuffer buf, int index, ElementType type) {
    if (type.dataClass() == ElementType.DataClass.FLOAT) {
      return type.size() == 8 ? buf.getDouble(index) : buf.getFloat(index);
    }
    if (type.dataClass() != ElementType.DataClass.INTEGER) {
      throw new UnsupportedOperationException("not a numeric type: " + type);
    }
    return switch (type.size()) {
      case 1 -> type.signed() ? buf.get(index) : Byte.toUnsignedInt(buf.get(index));
      case 2 -> type.signed() ? buf.getShort(index) : Short.toUnsignedInt(buf.getShort(index));
      case 4 -> type.signed() ? buf.getInt(index) : Integer.toUnsignedLong(buf.getInt(index));
      case 8 -> type.signed() ? (double) buf.getLong(index) : unsignedLongToDouble(buf.getLong(index));
      default -> throw new UnsupportedOperationException("integer size " + type.size());
    };
  }

  private static double unsignedLongToDouble(long v) {
    double d = (double) (v >>> 1) * 2.0;
    return d + (v & 1);
  }
}
