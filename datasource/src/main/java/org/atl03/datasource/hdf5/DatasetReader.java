package org.atl03.datasource.hdf5;

import io.jhdf.Constants;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.RangeFetcher;

/**
 * Reads element ranges {@code [startRow, endRow)} along the first axis of a numeric dataset (1-D, or N-D with
 * whole rows, e.g. signal_conf_ph N×5) into little-endian bytes in C order or into primitive arrays.
 *
 * <p>Chunked datasets: only the chunks overlapping the range are read, in file-address order, merged into few
 * requests by the {@link RangeCoalescer}; up to {@link ReadOptions#readsInFlight()} requests are in flight while
 * earlier ones are decoded. Unwritten chunks read as the fill value. Memory is bounded by the requested range:
 * its output plus the compressed bytes of its chunks. Nothing is memory-mapped.
 *
 * <p>Not thread-safe (it owns a {@link ZlibInflate}); create one reader per thread.
 */
public final class DatasetReader implements AutoCloseable {

  private final DatasetInfo info;
  private final int elementSize;
  private final int rowBytes;
  private final boolean swap; // stored big-endian: convert to little-endian while copying
  private final byte[] fillLittleEndian;
  private final Source source;

  /** Where the bytes of a row range come from. */
  private interface Source extends AutoCloseable {
    /** Writes rows [start, end) little-endian into out[off...). */
    void read(long start, long end, byte[] out, int off) throws IOException;

    /** Fails unless the file can hold rows [start, end): called before any output is allocated for them. */
    void checkHolds(long start, long end) throws IOException;

    @Override
    default void close() {
    }
  }

  private DatasetReader(DatasetInfo info, java.util.function.Function<DatasetReader, Source> source) {
    if (!info.type().isNumeric()) {
      throw new UnsupportedOperationException(info.describe() + ": element type " + info.type()
          + " is not numeric; read it with jhdf");
    }
    this.info = info;
    this.elementSize = info.type().size();
    this.rowBytes = Math.multiplyExact(info.rowElements(), elementSize);
    this.swap = elementSize > 1 && info.type().order() == ByteOrder.BIG_ENDIAN;
    byte[] fill = info.fillValueBytes();
    if (swap) {
      reverse(fill, 0, fill.length);
    }
    this.fillLittleEndian = fill;
    this.source = source.apply(this);
  }

  /** A reader of a chunked dataset from its chunk index alone (no HDF5 metadata), e.g. one built from references. */
  public static DatasetReader chunked(DatasetInfo info, ChunkIndex index, InputFile file, ReadOptions options) {
    if (!index.isRowChunked()) {
      throw new UnsupportedOperationException(info.describe() + ": chunks " + java.util.Arrays.toString(
          info.chunkShape()) + " split rows of shape " + java.util.Arrays.toString(info.shape()));
    }
    if (info.rank() > 2 && !java.util.Arrays.equals(java.util.Arrays.copyOfRange(info.chunkShape(), 1, info.rank()),
        java.util.Arrays.stream(info.shape()).skip(1).mapToInt(Math::toIntExact).toArray())) {
      throw new UnsupportedOperationException(info.describe() + ": chunks wider than rows in rank " + info.rank());
    }
    return new DatasetReader(info, r -> r.new ChunkedSource(index, file, options));
  }

  static DatasetReader contiguous(DatasetInfo info, ContiguousDataset ds, long userBlockSize, InputFile file,
                                  ReadOptions options) {
    long address = ds.getDataAddress();
    return new DatasetReader(info, r -> r.new ContiguousSource(
        address == Constants.UNDEFINED_ADDRESS ? -1 : address + userBlockSize, file, options));
  }

  static DatasetReader compact(DatasetInfo info, Dataset ds) {
    return new DatasetReader(info, r -> r.new CompactSource(ds));
  }

  public DatasetInfo info() {
    return info;
  }

  public long rows() {
    return info.rows();
  }

  /** Rows [startRow, endRow) as a little-endian heap buffer in C order (rows × trailing elements). */
  public ByteBuffer read(long startRow, long endRow) throws IOException {
    byte[] out = new byte[outputBytes(startRow, endRow)];
    readInto(startRow, endRow, out, 0);
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Writes rows [startRow, endRow) little-endian into {@code out} starting at {@code off}. */
  public void readInto(long startRow, long endRow, byte[] out, int off) throws IOException {
    int n = outputBytes(startRow, endRow);
    if (off < 0 || off + n > out.length) {
      throw new IndexOutOfBoundsException("output of " + out.length + " bytes cannot take " + n + " at " + off);
    }
    if (n > 0) {
      source.read(startRow, endRow, out, off);
    }
  }

  public double[] readDoubles(long startRow, long endRow) throws IOException {
    return readTyped(startRow, endRow, ElementType.DataClass.FLOAT, 8, double[]::new,
        (bytes, v) -> bytes.asDoubleBuffer().get(v));
  }

  public float[] readFloats(long startRow, long endRow) throws IOException {
    return readTyped(startRow, endRow, ElementType.DataClass.FLOAT, 4, float[]::new,
        (bytes, v) -> bytes.asFloatBuffer().get(v));
  }

  /** 8-byte integers; unsigned values keep their bit pattern. */
  public long[] readLongs(long startRow, long endRow) throws IOException {
    return readTyped(startRow, endRow, ElementType.DataClass.INTEGER, 8, long[]::new,
        (bytes, v) -> bytes.asLongBuffer().get(v));
  }

  /** 4-byte integers; unsigned values keep their bit pattern. */
  public int[] readInts(long startRow, long endRow) throws IOException {
    return readTyped(startRow, endRow, ElementType.DataClass.INTEGER, 4, int[]::new,
        (bytes, v) -> bytes.asIntBuffer().get(v));
  }

  /** 2-byte integers; unsigned values keep their bit pattern. */
  public short[] readShorts(long startRow, long endRow) throws IOException {
    return readTyped(startRow, endRow, ElementType.DataClass.INTEGER, 2, short[]::new,
        (bytes, v) -> bytes.asShortBuffer().get(v));
  }

  /** Rows of a dataset of {@code dataClass} and {@code size}-byte elements, copied into a new array. */
  private <A> A readTyped(long startRow, long endRow, ElementType.DataClass dataClass, int size,
      IntFunction<A> array, BiConsumer<ByteBuffer, A> copy) throws IOException {
    requireType(dataClass, size);
    A values = array.apply(elements(startRow, endRow));
    copy.accept(read(startRow, endRow), values);
    return values;
  }

  /** 1-byte integers; unsigned values keep their bit pattern. */
  public byte[] readBytes(long startRow, long endRow) throws IOException {
    requireType(ElementType.DataClass.INTEGER, 1);
    byte[] out = new byte[outputBytes(startRow, endRow)];
    readInto(startRow, endRow, out, 0);
    return out;
  }

  /** Any numeric type widened to double (unsigned integers as unsigned). */
  public double[] readAsDoubles(long startRow, long endRow) throws IOException {
    ByteBuffer bb = read(startRow, endRow);
    double[] v = new double[elements(startRow, endRow)];
    for (int i = 0; i < v.length; i++) {
      v[i] = Numbers.toDouble(bb, i * elementSize, info.type());
    }
    return v;
  }

  private void requireType(ElementType.DataClass dataClass, int size) {
    if (info.type().dataClass() != dataClass || elementSize != size) {
      throw new IllegalArgumentException(info.describe() + " has type " + info.type() + ", not "
          + dataClass.name().toLowerCase() + size * 8);
    }
  }

  private int elements(long startRow, long endRow) throws IOException {
    return outputBytes(startRow, endRow) / elementSize;
  }

  /**
   * Bytes of rows [startRow, endRow), once the file is known to hold them: output arrays are sized by shapes a
   * corrupt header can inflate, so a read is refused before allocating when its rows would lie past the end of
   * the file (contiguous) or would be more than {@link #MAX_FILL_BYTES} of fill values for chunks the file never
   * stored (chunked): sizes stated by a file are trusted only as far as its stored bytes back them.
   */
  int outputBytes(long startRow, long endRow) throws IOException {
    int n = rangeBytes(startRow, endRow);
    source.checkHolds(startRow, endRow);
    return n;
  }

  /** Fill bytes one read may produce for unwritten chunks or unallocated storage (legal, but not backed by data). */
  static final long MAX_FILL_BYTES = 64L << 20;

  private void checkFill(long rows, String what) throws IOException {
    if (rowBytes > 0 && rows > MAX_FILL_BYTES / rowBytes) {
      throw new IOException(info.describe() + ": " + rows + " rows (" + rows * rowBytes + " bytes) of " + what
          + " would be fill values the file does not store; refusing more than " + MAX_FILL_BYTES
          + " bytes of them in one read (a corrupt shape, or read fewer rows)");
    }
  }

  private int rangeBytes(long startRow, long endRow) {
    if (startRow < 0 || endRow < startRow || endRow > info.rows()) {
      throw new IndexOutOfBoundsException(info.describe() + ": rows [" + startRow + ", " + endRow
          + ") outside [0, " + info.rows() + ")");
    }
    // compared by division: the product of a corrupt row count and the row size can overflow a long
    if (rowBytes > 0 && endRow - startRow > (Integer.MAX_VALUE - 16) / rowBytes) {
      throw new IllegalArgumentException(info.describe() + ": " + (endRow - startRow) + " rows of " + rowBytes
          + " bytes do not fit one array; read fewer rows");
    }
    return (int) ((endRow - startRow) * rowBytes);
  }

  private void fill(byte[] out, int off, int len) {
    boolean zero = true;
    for (byte b : fillLittleEndian) {
      zero &= b == 0;
    }
    if (zero) {
      java.util.Arrays.fill(out, off, off + len, (byte) 0);
      return;
    }
    for (int i = off; i < off + len; i += elementSize) {
      System.arraycopy(fillLittleEndian, 0, out, i, elementSize);
    }
  }

  /** Copies whole elements, converting big-endian to little-endian when needed. */
  private void copyElements(byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
    System.arraycopy(src, srcOff, dst, dstOff, len);
    if (swap) {
      swapInPlace(dst, dstOff, len);
    }
  }

  private void swapInPlace(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i += elementSize) {
      reverse(buf, i, elementSize);
    }
  }

  private static void reverse(byte[] b, int off, int len) {
    for (int i = off, j = off + len - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
  }

  @Override
  public void close() {
    try {
      source.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "DatasetReader[" + info + "]";
  }

  /** Fails unless the file holds rows [start, end) (see {@link #outputBytes}); for {@link MultiDatasetReader}. */
  void checkHolds(long start, long end) throws IOException {
    outputBytes(start, end);
  }

  /** The chunk-level hooks of a chunked dataset's reader, for {@link MultiDatasetReader}. */
  ChunkedSource chunked() {
    if (!(source instanceof ChunkedSource chunked)) {
      throw new IllegalStateException(info.describe() + " is " + info.storage() + ", not chunked");
    }
    return chunked;
  }

  int rowBytes() {
    return rowBytes;
  }

  final class ChunkedSource implements Source {
    private final ChunkIndex index;
    private final InputFile file;
    private final ReadOptions options;
    private final ChunkDecoder decoder;
    private final int chunkRowBytes; // bytes of one row inside a chunk (chunks may be wider than the dataset)

    ChunkedSource(ChunkIndex index, InputFile file, ReadOptions options) {
      this.index = index;
      this.file = file;
      this.options = options;
      this.decoder = new ChunkDecoder(info);
      int[] cs = info.chunkShape();
      this.chunkRowBytes = Math.toIntExact(info.chunkBytes() / (cs.length == 0 ? 1 : cs[0]));
    }

    @Override
    public void read(long start, long end, byte[] out, int off) throws IOException {
      List<ChunkDescriptor> stored = acceptInline(prepare(start, end, out, off), start, end, out, off);
      RangeFetcher.fetchInFileOrder(file, options.fetchPlan(), stored, ChunkDescriptor::fileOffset,
          ChunkDescriptor::storedSize,
          (c, buf, at) -> accept(c, buf, at, start, end, out, off));
    }

    @Override
    public void checkHolds(long start, long end) throws IOException {
      long covered = 0;
      for (ChunkDescriptor c : index.chunksForRows(start, end)) {
        covered += Math.min(end, c.endRow()) - Math.max(start, c.firstRow());
      }
      checkFill(end - start - covered, "chunks never written");
    }

    /**
     * The stored chunks of rows [start, end); rows no chunk covers are set to the fill value first. A chunk whose
     * bytes would lie outside the file (references can state any offset and length) is refused before its
     * buffer is allocated.
     */
    List<ChunkDescriptor> prepare(long start, long end, byte[] out, int off) throws IOException {
      List<ChunkDescriptor> chunks = new ArrayList<>(index.chunksForRows(start, end));
      long covered = 0;
      for (ChunkDescriptor c : chunks) {
        covered += Math.min(end, c.endRow()) - Math.max(start, c.firstRow());
        if (!c.isInline() && (c.fileOffset() < 0 || c.storedSize() < 0
            || c.fileOffset() > file.length() - c.storedSize())) {
          throw new java.io.EOFException(info.describe() + ": chunk " + c + " lies outside the data file "
              + file.location() + " (" + file.length() + " bytes): truncated or corrupt");
        }
      }
      if (covered < end - start) {
        fill(out, off, (int) ((end - start) * rowBytes)); // unwritten chunks; written ones overwrite below
      }
      return chunks;
    }

    /** Decodes the inline chunks of {@code chunks} (no I/O) and returns the others, which must be read. */
    List<ChunkDescriptor> acceptInline(List<ChunkDescriptor> chunks, long start, long end, byte[] out, int off)
        throws IOException {
      List<ChunkDescriptor> stored = new ArrayList<>(chunks.size());
      for (ChunkDescriptor c : chunks) {
        if (c.isInline()) {
          accept(c, c.inline(), 0, start, end, out, off);
        } else {
          stored.add(c);
        }
      }
      return stored;
    }

    /** Decodes one chunk, stored at {@code buf[at...]}, and copies its rows within [start, end) to the output. */
    void accept(ChunkDescriptor c, byte[] buf, int at, long start, long end, byte[] out, int off)
        throws IOException {
      if (!swap && chunkRowBytes == rowBytes && c.firstRow() >= start && c.endRow() <= end
          && c.rowCount() * rowBytes == decoder.chunkBytes()) {
        // a whole chunk inside the range, stored as output: decoded in place
        decoder.decodeInto(buf, at, c.storedSize(), c.filterMask(), c.offset(), out,
            off + (int) ((c.firstRow() - start) * rowBytes));
        return;
      }
      byte[] decoded = decoder.decode(buf, at, c.storedSize(), c.filterMask(), c.offset());
      copyRows(c, decoded, start, end, out, off);
    }

    private void copyRows(ChunkDescriptor c, byte[] decoded, long start, long end, byte[] out, int off) {
      long from = Math.max(start, c.firstRow());
      long to = Math.min(end, c.endRow());
      int src = (int) ((from - c.firstRow()) * chunkRowBytes);
      int dst = off + (int) ((from - start) * rowBytes);
      int rows = (int) (to - from);
      if (chunkRowBytes == rowBytes) {
        copyElements(decoded, src, out, dst, rows * rowBytes);
      } else {
        for (int r = 0; r < rows; r++) {
          copyElements(decoded, src + r * chunkRowBytes, out, dst + r * rowBytes, rowBytes);
        }
      }
    }

    @Override
    public void close() {
      decoder.close();
    }
  }

  private final class ContiguousSource implements Source {
    private final long fileOffset; // -1: storage never allocated
    private final InputFile file;
    private final long maxRequest;

    ContiguousSource(long fileOffset, InputFile file, ReadOptions options) {
      this.fileOffset = fileOffset;
      this.file = file;
      this.maxRequest = Math.max(1 << 20, 64L << 20);
    }

    @Override
    public void checkHolds(long start, long end) throws IOException {
      if (fileOffset < 0) {
        checkFill(end - start, "unallocated storage");
      } else if (fileOffset + end * rowBytes > file.length()) {
        throw new java.io.EOFException(info.describe() + ": rows [" + start + ", " + end + ") of contiguous data at "
            + fileOffset + " lie past the end of the file (" + file.length() + " bytes): truncated or corrupt");
      }
    }

    @Override
    public void read(long start, long end, byte[] out, int off) throws IOException {
      int len = (int) ((end - start) * rowBytes);
      if (fileOffset < 0) {
        fill(out, off, len);
        return;
      }
      long pos = fileOffset + start * rowBytes;
      for (int done = 0; done < len; ) {
        int n = (int) Math.min(maxRequest, len - done);
        file.readFully(pos + done, out, off + done, n);
        done += n;
      }
      if (swap) {
        swapInPlace(out, off, len);
      }
    }
  }

  private final class CompactSource implements Source {
    private final byte[] raw;

    CompactSource(Dataset ds) {
      ByteBuffer bb = ((io.jhdf.dataset.DatasetBase) ds).getDataBuffer().duplicate();
      bb.rewind();
      raw = new byte[bb.remaining()];
      bb.get(raw);
    }

    @Override
    public void checkHolds(long start, long end) throws IOException {
      if (end * rowBytes > raw.length) {
        throw new IOException(info.describe() + ": compact data of " + raw.length + " bytes cannot hold rows ["
            + start + ", " + end + ")");
      }
    }

    @Override
    public void read(long start, long end, byte[] out, int off) {
      copyElements(raw, (int) (start * rowBytes), out, off, (int) ((end - start) * rowBytes));
    }
  }
}
