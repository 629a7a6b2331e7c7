package org.atl03.datasource.hdf5;

import io.jhdf.Constants;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessageV4;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.atl03.datasource.io.InputFile;

/**
 * The stored chunks of one chunked dataset, sorted by logical offset. Chunks that were never written are absent;
 * their elements read as the dataset's fill value. Immutable and thread-safe.
 *
 * <p>Built from jhdf's chunk lookup, which covers every index jhdf parses (v1 B-tree; single chunk, implicit,
 * fixed array, extensible array and v2 B-tree for v4 layouts). jhdf 0.13 keeps that lookup protected, so it is
 * read by reflection.
 */
public final class ChunkIndex implements java.io.Serializable {

  private static final Method CHUNK_LOOKUP; // static: not serialized

  static {
    try {
      CHUNK_LOOKUP = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
      CHUNK_LOOKUP.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError("jhdf without ChunkedDatasetBase.getChunkLookup(): " + e);
    }
  }

  private final DatasetInfo info;
  private final List<ChunkDescriptor> chunks; // by logical offset
  private final List<ChunkDescriptor> byFileOffset;

  ChunkIndex(DatasetInfo info, List<ChunkDescriptor> chunks) {
    this.info = info;
    List<ChunkDescriptor> sorted = new ArrayList<>(chunks);
    sorted.sort(ChunkIndex::compareLogical);
    this.chunks = Collections.unmodifiableList(sorted);
    List<ChunkDescriptor> files = new ArrayList<>(chunks);
    files.sort(Comparator.comparingLong(ChunkDescriptor::fileOffset));
    this.byFileOffset = Collections.unmodifiableList(files);
  }

  /**
   * The index of chunks described elsewhere (e.g. kerchunk references): {@code chunks} must lie inside the
   * dataset's shape and cover whole chunk positions; unwritten chunks are simply absent.
   */
  public static ChunkIndex of(DatasetInfo info, List<ChunkDescriptor> chunks) {
    return new ChunkIndex(info, chunks);
  }

  static ChunkIndex read(DatasetInfo info, ChunkedDatasetBase dataset, long userBlockSize, InputFile metadata,
                         int sizeOfLengths) throws IOException {
    Map<?, ?> lookup;
    try {
      lookup = (Map<?, ?>) CHUNK_LOOKUP.invoke(dataset);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(info.describe() + ": cannot read jhdf's chunk lookup", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(info.describe() + ": cannot read the chunk index: " + e.getCause(),
          e.getCause());
    }
    long[] shape = info.shape();
    int[] chunkShape = info.chunkShape();
    List<ChunkDescriptor> out = new ArrayList<>(lookup.size());
    for (Object value : lookup.values()) {
      Chunk c = (Chunk) value;
      if (c.getAddress() == Constants.UNDEFINED_ADDRESS) {
        continue; // fixed/extensible arrays list unallocated chunks with an undefined address
      }
      long[] offset = c.getChunkOffset();
      check(info, c, offset, chunkShape, userBlockSize, metadata.length());
      long firstRow = offset.length == 0 ? 0 : offset[0];
      long rows = shape.length == 0 ? 1 : Math.min(chunkShape[0], shape[0] - firstRow);
      if (rows <= 0 || outside(offset, shape)) {
        continue; // left over after the dataset shrank
      }
      out.add(new ChunkDescriptor(offset, c.getAddress() + userBlockSize, c.getSize(), mask(c.getFilterMask()),
          firstRow, rows));
    }
    checkExtensibleArray(info, dataset, out.size(), userBlockSize, metadata, sizeOfLengths);
    return new ChunkIndex(info, out);
  }

  /**
   * jhdf 0.13 stops reading an extensible array index at the first unallocated chunk and silently drops every
   * chunk after it. The header's "max index set" tells how many chunk slots are in use: when jhdf found fewer
   * chunks, refuse rather than read stored data as fill values.
   */
  private static void checkExtensibleArray(DatasetInfo info, ChunkedDatasetBase dataset, int found,
                                           long userBlockSize, InputFile metadata, int sizeOfLengths)
      throws IOException {
    io.jhdf.ObjectHeader header = dataset.getHeader();
    if (!header.hasMessageOfType(ChunkedDataLayoutMessageV4.class)) {
      return;
    }
    ChunkedDataLayoutMessageV4 layout = header.getMessageOfType(ChunkedDataLayoutMessageV4.class);
    if (layout.getIndexingType() != ChunkedDataLayoutMessageV4.EXTENSIBLE_ARRAY_INDEX
        || layout.getAddress() == Constants.UNDEFINED_ADDRESS) {
      return;
    }
    // header: "EAHD", version, client id, 6 one-byte parameters, then lengths: secondary blocks, their size,
    // data blocks, their size, max index set
    int at = 12 + 4 * sizeOfLengths;
    byte[] b = metadata.readFully(layout.getAddress() + userBlockSize, at + sizeOfLengths);
    if (b[0] != 'E' || b[1] != 'A' || b[2] != 'H' || b[3] != 'D') {
      throw new IOException(info.describe() + ": extensible array header signature not found");
    }
    long maxIndexSet = 0;
    for (int i = sizeOfLengths - 1; i >= 0; i--) {
      maxIndexSet = (maxIndexSet << 8) | (b[at + i] & 0xFF);
    }
    if (found < maxIndexSet) {
      throw new UnsupportedOperationException(info.describe() + ": extensible array chunk index with unallocated "
          + "chunks (" + found + " of " + maxIndexSet + " slots readable): jhdf 0.13 drops the chunks after the "
          + "first gap, so this dataset cannot be read reliably");
    }
  }

  /**
   * A chunk whose bytes lie outside the file, or whose offset is not on the chunk grid, comes from a truncated or
   * corrupt file: refused here, while planning, naming the dataset, rather than read as garbage or fill values.
   */
  private static void check(DatasetInfo info, Chunk c, long[] offset, int[] chunkShape, long userBlockSize,
                            long fileLength) throws IOException {
    long start = c.getAddress() + userBlockSize;
    if (c.getSize() < 0 || c.getAddress() < 0 || start > fileLength || c.getSize() > fileLength - start) {
      throw new java.io.EOFException(info.describe() + ": chunk at offset " + Arrays.toString(offset) + " ("
          + c.getSize() + " bytes at " + start + ") lies outside the file (" + fileLength
          + " bytes): the file is truncated or corrupt");
    }
    for (int i = 0; i < Math.min(offset.length, chunkShape.length); i++) {
      if (offset[i] < 0 || offset[i] % chunkShape[i] != 0) {
        throw new IOException(info.describe() + ": chunk offset " + Arrays.toString(offset)
            + " is not on the chunk grid " + Arrays.toString(chunkShape));
      }
    }
  }

  private static boolean outside(long[] offset, long[] shape) {
    for (int i = 0; i < offset.length && i < shape.length; i++) {
      if (offset[i] >= shape[i]) {
        return true;
      }
    }
    return false;
  }

  private static int mask(BitSet bits) {
    long[] words = bits == null ? new long[0] : bits.toLongArray();
    return words.length == 0 ? 0 : (int) words[0];
  }

  private static int compareLogical(ChunkDescriptor a, ChunkDescriptor b) {
    return Arrays.compare(a.offset(), b.offset());
  }

  /**
   * The chunks overlapping rows {@code [startRow, endRow)} only: what a task reading those rows needs, planned
   * once from the file's metadata and shipped, so the task reads no metadata.
   */
  public ChunkIndex forRows(long startRow, long endRow) {
    return new ChunkIndex(info, chunksForRows(startRow, endRow));
  }

  public DatasetInfo dataset() {
    return info;
  }

  /** Stored chunks in logical order. */
  public List<ChunkDescriptor> chunks() {
    return chunks;
  }

  /** Stored chunks in file-address order (inline chunks, at -1, first). */
  public List<ChunkDescriptor> chunksInFileOrder() {
    return byFileOffset;
  }

  /** Chunk positions a fully written dataset would have along the first axis. */
  public long expectedChunkRows() {
    int[] cs = info.chunkShape();
    return cs.length == 0 ? 1 : (info.rows() + cs[0] - 1) / cs[0];
  }

  /** Whether chunks span every trailing dimension, so that each chunk holds whole rows; the reader needs this. */
  public boolean isRowChunked() {
    long[] shape = info.shape();
    int[] cs = info.chunkShape();
    for (int i = 1; i < shape.length; i++) {
      if (cs[i] < shape[i]) {
        return false;
      }
    }
    return true;
  }

  /** Stored chunks overlapping rows {@code [startRow, endRow)}, in logical order (row-chunked datasets only). */
  public List<ChunkDescriptor> chunksForRows(long startRow, long endRow) {
    if (startRow >= endRow) {
      return List.of();
    }
    int lo = 0;
    int hi = chunks.size();
    while (lo < hi) { // first chunk whose end is past startRow
      int mid = (lo + hi) >>> 1;
      if (chunks.get(mid).endRow() <= startRow) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int from = lo;
    int to = from;
    while (to < chunks.size() && chunks.get(to).firstRow() < endRow) {
      to++;
    }
    return chunks.subList(from, to);
  }

  /** Sum of stored chunk sizes. */
  public long storedBytes() {
    long n = 0;
    for (ChunkDescriptor c : chunks) {
      n += c.storedSize();
    }
    return n;
  }

  @Override
  public String toString() {
    return "ChunkIndex[" + info.path() + ", " + chunks.size() + " chunks]";
  }

  /**
   * Serialized as columns of primitives: every partition of a scan carries the indexes of its datasets to its task,
   * and as objects (two lists of records, each with its own array) they were ~150 KB a partition.
   */
  private Object writeReplace() {
    return new Columns(info, chunks);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a ChunkIndex is serialized as ChunkIndex.Columns");
  }

  /** The serialized form of a {@link ChunkIndex}: its chunks' fields as arrays, in logical order. */
  private static final class Columns implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final DatasetInfo info;
    private final int rank;
    private final long[] offsets; // rank values a chunk
    private final long[] fileOffsets;
    private final int[] storedSizes;
    private final int[] filterMasks;
    private final long[] firstRows;
    private final long[] rowCounts;
    private final byte[][] inline; // null when no chunk is inline

    Columns(DatasetInfo info, List<ChunkDescriptor> chunks) {
      this.info = info;
      int n = chunks.size();
      this.rank = n == 0 ? 0 : chunks.get(0).offset().length;
      this.offsets = new long[n * rank];
      this.fileOffsets = new long[n];
      this.storedSizes = new int[n];
      this.filterMasks = new int[n];
      this.firstRows = new long[n];
      this.rowCounts = new long[n];
      byte[][] inlined = null;
      for (int i = 0; i < n; i++) {
        ChunkDescriptor c = chunks.get(i);
        long[] offset = c.offset();
        if (offset.length != rank) {
          throw new IllegalStateException(info.describe() + ": chunk offsets of ranks " + rank + " and "
              + offset.length);
        }
        System.arraycopy(offset, 0, offsets, i * rank, rank);
        fileOffsets[i] = c.fileOffset();
        storedSizes[i] = c.storedSize();
        filterMasks[i] = c.filterMask();
        firstRows[i] = c.firstRow();
        rowCounts[i] = c.rowCount();
        if (c.isInline()) {
          if (inlined == null) {
            inlined = new byte[n][];
          }
          inlined[i] = c.inline();
        }
      }
      this.inline = inlined;
    }

    private Object readResolve() throws java.io.ObjectStreamException {
      int n = fileOffsets.length;
      if (storedSizes.length != n || filterMasks.length != n || firstRows.length != n || rowCounts.length != n
          || offsets.length != (long) n * rank || (inline != null && inline.length != n)) {
        throw new java.io.InvalidObjectException("a ChunkIndex's columns differ in length");
      }
      List<ChunkDescriptor> chunks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long[] offset = Arrays.copyOfRange(offsets, i * rank, (i + 1) * rank);
        chunks.add(new ChunkDescriptor(offset, fileOffsets[i], storedSizes[i], filterMasks[i], firstRows[i],
            rowCounts[i], inline == null ? null : inline[i]));
      }
      return new ChunkIndex(info, chunks);
    }
  }
}
