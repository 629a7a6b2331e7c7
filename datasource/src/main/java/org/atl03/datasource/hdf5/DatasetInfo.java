package org.atl03.datasource.hdf5;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.FillValueMessage;
import io.jhdf.object.message.FilterPipelineMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * What a reader needs to know about one dataset: element type, shape, storage kind, chunk shape, filter pipeline
 * and fill value. Immutable; serializable, so a planned scan ships it to the tasks.
 */
public final class DatasetInfo implements java.io.Serializable {

  private final String fileLocation;
  private final String path;
  private final ElementType type;
  private final long[] shape;
  private final int[] chunkShape; // empty unless chunked
  private final StorageKind storage;
  private final List<FilterSpec> filters;
  private final byte[] fillValue; // element bytes in the dataset's byte order; zeros when undefined

  DatasetInfo(String fileLocation, String path, ElementType type, long[] shape, int[] chunkShape,
              StorageKind storage, List<FilterSpec> filters, byte[] fillValue) {
    this.fileLocation = fileLocation;
    this.path = path;
    this.type = type;
    this.shape = shape.clone();
    this.chunkShape = chunkShape.clone();
    this.storage = storage;
    this.filters = List.copyOf(filters);
    this.fillValue = fillValue.clone();
    validate();
  }

  /**
   * Refuses shapes no reader can honour before anything is sized by them: a corrupt header can state negative or
   * absurd dimensions, zero chunk dimensions or chunks of more than 2 GiB, and each would otherwise surface as an
   * arithmetic or allocation failure far from its cause.
   */
  private void validate() {
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(describe() + ": negative dimension in shape " + Arrays.toString(shape));
      }
    }
    if (storage == StorageKind.CHUNKED) {
      if (chunkShape.length != shape.length) {
        throw new IllegalArgumentException(describe() + ": chunk rank " + chunkShape.length + " differs from rank "
            + shape.length);
      }
      for (int c : chunkShape) {
        if (c <= 0) {
          throw new IllegalArgumentException(describe() + ": chunk dimension " + c + " in "
              + Arrays.toString(chunkShape));
        }
      }
    }
    try {
      elementCount();
      if (chunkBytes() > MAX_CHUNK_BYTES) {
        throw new UnsupportedOperationException(describe() + ": chunks " + Arrays.toString(chunkShape) + " of "
            + chunkBytes() + " bytes exceed the " + MAX_CHUNK_BYTES + " bytes a chunk may decode to here");
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(describe() + ": shape " + Arrays.toString(shape) + " with chunks "
          + Arrays.toString(chunkShape) + " overflows a 64-bit element count");
    }
  }

  /** Largest decoded chunk: one Java array (HDF5 allows 4 GiB; ATL03 chunks are 10 000 elements). */
  static final long MAX_CHUNK_BYTES = Integer.MAX_VALUE - 16;

  /**
   * A chunked dataset described by something other than its HDF5 header (e.g. a Zarr {@code .zarray}).
   *
   * @param filters    the pipeline in write order (what {@link ChunkDecoder} undoes in reverse)
   * @param fillValue  element bytes in {@code type}'s byte order
   */
  public static DatasetInfo chunked(String fileLocation, String path, ElementType type, long[] shape,
                                    int[] chunkShape, List<FilterSpec> filters, byte[] fillValue) {
    if (fillValue.length != type.size() || chunkShape.length != shape.length) {
      throw new IllegalArgumentException(fileLocation + ": dataset " + path + ": fill value of " + fillValue.length
          + " bytes or chunk rank " + chunkShape.length + " does not fit " + type + " " + Arrays.toString(shape));
    }
    return new DatasetInfo(fileLocation, path, type, shape, chunkShape, StorageKind.CHUNKED, filters, fillValue);
  }

  static DatasetInfo of(String fileLocation, Dataset ds) {
    ElementType type = elementType(ds.getDataType());
    StorageKind storage = StorageKind.valueOf(ds.getDataLayout().name());
    int[] chunks = ds instanceof ChunkedDataset c ? c.getChunkDimensions() : new int[0];
    // the filter pipeline message, not jhdf's getFilters(): jhdf fails on filters it does not know, and we want
    // to describe them and fail only when asked to decode
    List<FilterSpec> filters = header(ds).hasMessageOfType(FilterPipelineMessage.class)
        ? header(ds).getMessageOfType(FilterPipelineMessage.class).getFilters().stream()
            .map(f -> new FilterSpec(f.getId(), f.getName() == null ? "filter " + f.getId() : f.getName(),
                f.getData()))
            .toList()
        : List.of();
    return new DatasetInfo(fileLocation, ds.getPath(), type, ds.getDimensionsAsLong(), chunks, storage, filters,
        fillValue(ds, type.size()));
  }

  private static io.jhdf.ObjectHeader header(Dataset ds) {
    return ((io.jhdf.AbstractNode) ds).getHeader(); // every jhdf dataset is an AbstractNode
  }

  private static ElementType elementType(DataType dt) {
    if (dt instanceof FixedPoint fp && fp.getBitOffset() == 0 && fp.getBitPrecision() == dt.getSize() * 8) {
      return new ElementType(ElementType.DataClass.INTEGER, dt.getSize(), fp.getByteOrder(), fp.isSigned());
    }
    if (dt instanceof FloatingPoint fl && (dt.getSize() == 4 || dt.getSize() == 8)) {
      return new ElementType(ElementType.DataClass.FLOAT, dt.getSize(), fl.getByteOrder(), true);
    }
    return new ElementType(ElementType.DataClass.OTHER, dt.getSize(), ByteOrder.LITTLE_ENDIAN, false);
  }

  private static byte[] fillValue(Dataset ds, int size) {
    if (header(ds).hasMessageOfType(FillValueMessage.class)) {
      FillValueMessage m = header(ds).getMessageOfType(FillValueMessage.class);
      if (m.isFillValueDefined() && m.getFillValue() != null) {
        ByteBuffer bb = m.getFillValue().duplicate();
        bb.rewind();
        if (bb.remaining() == size) {
          byte[] bytes = new byte[size];
          bb.get(bytes);
          return bytes;
        }
      }
    }
    return new byte[size]; // HDF5's default fill: all zero bytes
  }

  public String fileLocation() {
    return fileLocation;
  }

  public String path() {
    return path;
  }

  public ElementType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** Length of the first axis; 1 for a scalar. */
  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Elements per row: the product of the trailing dimensions (5 for signal_conf_ph N×5, 1 for 1-D). */
  public int rowElements() {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n = Math.multiplyExact(n, shape[i]);
    }
    return Math.toIntExact(n);
  }

  public long elementCount() {
    return Math.multiplyExact(rows(), (long) rowElements());
  }

  /** Chunk dimensions; empty unless {@link #storage()} is {@link StorageKind#CHUNKED}. */
  public int[] chunkShape() {
    return chunkShape.clone();
  }

  /** Uncompressed bytes of one full chunk. */
  public long chunkBytes() {
    long n = type.size();
    for (int d : chunkShape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public StorageKind storage() {
    return storage;
  }

  public List<FilterSpec> filters() {
    return filters;
  }

  /** The fill value's bytes in the dataset's own byte order (all zero when the file defines none). */
  public byte[] fillValueBytes() {
    return fillValue.clone();
  }

  /** The fill value widened to double, for numeric types. */
  public double fillValueAsDouble() {
    return Numbers.toDouble(ByteBuffer.wrap(fillValue).order(type.order()), 0, type);
  }

  /** "file: dataset path" — the prefix of every error message about this dataset. */
  public String describe() {
    return fileLocation + ": dataset " + path;
  }

  @Override
  public String toString() {
    return path + " " + type + " " + Arrays.toString(shape) + " " + storage
        + (chunkShape.length > 0 ? " chunks " + Arrays.toString(chunkShape) : "") + " filters " + filters;
  }
}
