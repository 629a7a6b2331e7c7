package org.atl03.datasource.flatgeobuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.atl03.datasource.io.InputFile;

/**
 * The features of index hits: hits close together in the file (gap at most {@code maxGapBytes}) are fetched in
 * one range read of at most {@code maxReadBytes} (or one feature), so a box query reads the features it selects
 * and little else. Hits must be in file order, as in files written by the reference writers and by us; hits whose
 * end is unknown are fetched on their own after reading their size prefix.
 */
public final class HitCursor implements FeatureCursor {

  private final InputFile file;
  private final FgbHeader header;
  private final IndexSearch.Hits hits;
  private final int maxGapBytes;
  private final int maxReadBytes;
  private final FgbFeature feature;
  private int next; // next hit
  private int groupEnd; // hits [next, groupEnd) are in the current block
  private long blockStart;
  private byte[] block = new byte[0];
  private ByteBuffer buf = ByteBuffer.wrap(block);
  private long featuresRead;

  public HitCursor(InputFile file, FgbHeader header, IndexSearch.Hits hits, int maxGapBytes, int maxReadBytes) {
    this.file = file;
    this.header = header;
    this.hits = hits;
    this.maxGapBytes = maxGapBytes;
    this.maxReadBytes = maxReadBytes;
    this.feature = new FgbFeature(header);
  }

  @Override
  public FgbFeature next() throws IOException {
    if (next >= hits.size()) {
      return null;
    }
    if (next >= groupEnd) {
      readGroup();
    }
    long at = header.featuresStart() + hits.offsets()[next];
    int pos = (int) (at - blockStart);
    long size = buf.getInt(pos) & 0xffffffffL;
    if (size == 0 || pos + 4 + size > block.length) {
      throw new IOException(file.location() + ": feature " + hits.items()[next] + " at offset " + at
          + " has size " + size + ", which does not fit before the next feature");
    }
    feature.wrap(buf, pos + 4, file.location() + " feature " + hits.items()[next] + " at offset " + at);
    next++;
    featuresRead++;
    return feature;
  }

  private void readGroup() throws IOException {
    long base = header.featuresStart();
    long first = hits.offsets()[next];
    long end = hits.ends()[next];
    if (end < 0) {
      // leaves out of file order: read the size prefix first
      byte[] prefix = file.readFully(base + first, 4);
      end = first + 4 + (ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL);
      groupEnd = next + 1;
    } else {
      int g = next + 1;
      while (g < hits.size() && hits.ends()[g] >= 0 && hits.offsets()[g] >= end
          && hits.offsets()[g] - end <= maxGapBytes && hits.ends()[g] - first <= maxReadBytes) {
        end = hits.ends()[g];
        g++;
      }
      groupEnd = g;
    }
    long len = end - first;
    if (len > Integer.MAX_VALUE - 8 || base + end > file.length()) {
      throw new IOException(file.location() + ": feature " + hits.items()[next] + " at offset " + (base + first)
          + " ends at " + (base + end) + ", past the end of the file (" + file.length() + " bytes)");
    }
    block = file.readFully(base + first, (int) len);
    buf = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    blockStart = base + first;
  }

  @Override
  public long featuresRead() {
    return featuresRead;
  }
}
