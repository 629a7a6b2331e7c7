package org.atl03.datasource.hdf5;

import java.nio.ByteOrder;

/**
 * The element type of a dataset as far as the chunk reader cares: numeric class, size in bytes, byte order and
 * signedness. {@link DataClass#OTHER} (strings, compounds, enums …) is described but not read by this layer.
 */
public record ElementType(DataClass dataClass, int size, boolean bigEndian, boolean signed)
    implements java.io.Serializable {

  public enum DataClass { INTEGER, FLOAT, OTHER }

  public ElementType(DataClass dataClass, int size, ByteOrder order, boolean signed) {
    this(dataClass, size, order == ByteOrder.BIG_ENDIAN, signed);
  }

  public ByteOrder order() {
    return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  public boolean isNumeric() {
    return dataClass != DataClass.OTHER;
  }

  /** numpy-style name, e.g. {@code <f8}, {@code >i4}, {@code |u1}; what h5py and the expected-json files print. */
  public String numpyName() {
    char kind = switch (dataClass) {
      case FLOAT -> 'f';
      case INTEGER -> signed ? 'i' : 'u';
      case OTHER -> 'V';
    };
    char endian = size == 1 ? '|' : bigEndian ? '>' : '<';
    return "" + endian + kind + size;
  }

  @Override
  public String toString() {
    return numpyName();
  }
}
