package org.atl03.datasource.hdf5;

import java.util.Arrays;

/**
 * One stored chunk: where its bytes are in the file and which elements it holds.
 *
 * @param offset      logical offset of the chunk's first element, per dimension
 * @param fileOffset  absolute byte offset in the file (chunk address plus the user-block size)
 * @param storedSize  bytes stored (after filters)
 * @param filterMask  bit i set = filter i of the pipeline was not applied to this chunk
 * @param firstRow    first element along the first axis (the photon axis) that this chunk covers
 * @param rowCount    elements along the first axis covered inside the dataset's current shape
 * @param inline      the stored bytes themselves when a reference carries them (kerchunk inlines small chunks),
 *                    else null; an inline chunk is decoded without I/O and its fileOffset is -1
 */
public record ChunkDescriptor(long[] offset, long fileOffset, int storedSize, int filterMask, long firstRow,
                              long rowCount, byte[] inline) implements java.io.Serializable {

  public ChunkDescriptor {
    offset = offset.clone();
    inline = inline == null ? null : inline.clone();
  }

  public ChunkDescriptor(long[] offset, long fileOffset, int storedSize, int filterMask, long firstRow,
                         long rowCount) {
    this(offset, fileOffset, storedSize, filterMask, firstRow, rowCount, null);
  }

  /** A chunk whose stored bytes travel with it. */
  public static ChunkDescriptor inline(long[] offset, byte[] stored, long firstRow, long rowCount) {
    return new ChunkDescriptor(offset, -1, stored.length, 0, firstRow, rowCount, stored);
  }

  public boolean isInline() {
    return inline != null;
  }

  /** The inline stored bytes (shared, do not modify), or null. */
  @Override
  public byte[] inline() {
    return inline;
  }

  @Override
  public long[] offset() {
    return offset.clone();
  }

  /** One past the last row covered. */
  public long endRow() {
    return firstRow + rowCount;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkDescriptor c && Arrays.equals(c.offset, offset) && c.fileOffset == fileOffset
        && c.storedSize == storedSize && c.filterMask == filterMask && c.firstRow == firstRow
        && c.rowCount == rowCount && Arrays.equals(c.inline, inline);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(offset) * 31 + Long.hashCode(fileOffset);
  }

  @Override
  public String toString() {
    return "Chunk" + Arrays.toString(offset) + (inline != null ? " inline " : "@" + fileOffset + "+") + storedSize
        + (filterMask != 0 ? " mask=" + Integer.toBinaryString(filterMask) : "");
  }
}
