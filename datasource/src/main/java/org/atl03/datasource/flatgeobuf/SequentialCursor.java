package org.atl03.datasource.flatgeobuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.atl03.datasource.io.InputFile;

/**
 * Features of a byte range of the features section, in file order, read in large blocks (a feature that crosses a
 * block's end starts the next block). Memory: one block, or one feature when a feature is larger.
 */
public final class SequentialCursor implements FeatureCursor {

  public static final int DEFAULT_BLOCK = 8 * 1024 * 1024;

  private final InputFile file;
  private final long end;
  private final int blockSize;
  private final FgbFeature feature;
  private byte[] block = new byte[0];
  private ByteBuffer buf = ByteBuffer.wrap(block);
  private long blockStart; // file offset of block[0]
  private int blockLen;
  private int pos; // next feature's position in block
  private long featuresRead;

  /**
   * @param start file offset of the first feature
   * @param end file offset where the range's features end (the file length for all the rest)
   */
  public SequentialCursor(InputFile file, FgbHeader header, long start, long end, int blockSize) {
    this.file = file;
    this.end = end;
    this.blockSize = blockSize;
    this.feature = new FgbFeature(header);
    this.blockStart = start;
  }

  @Override
  public FgbFeature next() throws IOException {
    long at = blockStart + pos;
    if (at >= end) {
      return null;
    }
    if (pos + 4 > blockLen) {
      fill(at, 4);
    }
    long size = buf.getInt(pos) & 0xffffffffL;
    if (size == 0 || at + 4 + size > end) {
      throw new IOException(file.location() + ": feature at offset " + at + " has size " + size
          + ", which does not fit in the features section (ends at " + end + ")");
    }
    if (pos + 4 + size > blockLen) {
      fill(at, 4 + size);
    }
    feature.wrap(buf, pos + 4, file.location() + " feature at offset " + at);
    pos += 4 + (int) size;
    featuresRead++;
    return feature;
  }

  /** Reads a block starting at {@code at} that holds at least {@code need} bytes. */
  private void fill(long at, long need) throws IOException {
    if (need > Integer.MAX_VALUE - 8) {
      throw new IOException(file.location() + ": feature at offset " + at + " is larger than 2 GB");
    }
    int len = (int) Math.min(end - at, Math.max(blockSize, need));
    if (len < need) {
      throw new IOException(file.location() + ": truncated feature at offset " + at);
    }
    if (block.length < len) {
      block = new byte[len];
      buf = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    }
    file.readFully(at, block, 0, len);
    blockStart = at;
    blockLen = len;
    pos = 0;
  }

  @Override
  public long featuresRead() {
    return featuresRead;
  }
}
