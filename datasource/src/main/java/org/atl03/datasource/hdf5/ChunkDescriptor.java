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
 */
public record ChunkDescriptor(long[] offset, long fileOffset, int storedSize, int filterMask, long firstRow,
                              long rowCount) implements java.io.Serializable {

  public ChunkDescriptor {
    offset = offset.clone();
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
        && c.rowCount == rowCount;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(offset) * 31 + Long.hashCode(fileOffset);
  }

  @Override
  public String toString() {
    return "Chunk" + Arrays.toString(offset) + "@" + fileOffset + "+" + storedSize
        + (filterMask != 0 ? " mask=" + Integer.toBinaryString(filterMask) : "");
  }
}
