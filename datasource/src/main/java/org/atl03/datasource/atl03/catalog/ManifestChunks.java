package org.atl03.datasource.atl03.catalog;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.atl03.datasource.hdf5.ChunkDescriptor;

/**
 * A manifest's chunk list (first row, file offset, stored size, filter mask of each chunk) as the catalog stores it:
 * one byte string of variable-length integers, each chunk relative to the one before (its first row after the
 * previous chunk's rows, its offset after the previous chunk's bytes), so that the usual chunk (the next rows,
 * stored right after or a few chunks of other datasets later) takes a few bytes instead of 24. A window of 1 M
 * photons lists ~600 chunks; as four arrays of numbers per dataset they made catalog files of 5 KB a window whose
 * decoding took hundreds of MB of Parquet column vectors on the driver.
 *
 * <p>Layout: format byte {@value #FORMAT}, chunk count, then per chunk zigzag(firstRow − expected first row),
 * zigzag(offset − previous end), stored size, filter mask; all unsigned LEB128.
 */
public final class ManifestChunks {

  static final int FORMAT = 1;

  private ManifestChunks() {}

  /** Encodes the chunks of a dataset whose chunks hold {@code chunkRows} rows, in row order. */
  public static byte[] encode(List<ChunkDescriptor> chunks, long chunkRows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 + chunks.size() * 6);
    out.write(FORMAT);
    varint(out, chunks.size());
    long expectedRow = 0;
    long previousEnd = 0;
    for (ChunkDescriptor c : chunks) {
      if (c.isInline()) {
        throw new IllegalArgumentException("an inline chunk (row " + c.firstRow() + ") has no place in a manifest");
      }
      varint(out, zigzag(c.firstRow() - expectedRow));
      varint(out, zigzag(c.fileOffset() - previousEnd));
      varint(out, c.storedSize());
      varint(out, c.filterMask() & 0xffffffffL);
      expectedRow = c.firstRow() + chunkRows;
      previousEnd = c.fileOffset() + c.storedSize();
    }
    return out.toByteArray();
  }

  /**
   * The chunks of a dataset of {@code rows} rows in chunks of {@code chunkRows} and rank {@code rank}, from
   * {@link #encode}'s bytes.
   *
   * @throws IllegalArgumentException naming {@code what} when the bytes are not such a list
   */
  public static List<ChunkDescriptor> decode(byte[] bytes, long rows, long chunkRows, int rank, String what) {
    Reader in = new Reader(bytes, what);
    int format = in.next();
    if (format != FORMAT) {
      throw new IllegalArgumentException(what + ": chunk list of format " + format + ", this build reads " + FORMAT);
    }
    long count = in.varint();
    if (count > bytes.length) { // every chunk takes at least four bytes
      throw new IllegalArgumentException(what + ": chunk list claims " + count + " chunks in " + bytes.length
          + " bytes");
    }
    List<ChunkDescriptor> chunks = new ArrayList<>((int) count);
    long expectedRow = 0;
    long previousEnd = 0;
    for (int i = 0; i < count; i++) {
      long first = expectedRow + unzigzag(in.varint());
      long offset = previousEnd + unzigzag(in.varint());
      long size = in.varint();
      long mask = in.varint();
      if (first < 0 || first >= rows || offset < 0 || size > Integer.MAX_VALUE || mask > 0xffffffffL) {
        throw new IllegalArgumentException(what + ": chunk " + i + " (row " + first + ", offset " + offset + ", "
            + size + " bytes) lies outside the dataset's " + rows + " rows or the file");
      }
      long[] at = new long[rank];
      at[0] = first;
      chunks.add(new ChunkDescriptor(at, offset, (int) size, (int) mask, first, Math.min(chunkRows, rows - first)));
      expectedRow = first + chunkRows;
      previousEnd = offset + size;
    }
    if (in.remaining() != 0) {
      throw new IllegalArgumentException(what + ": " + in.remaining() + " bytes after the chunk list's end");
    }
    return chunks;
  }

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static final class Reader {
    private final byte[] bytes;
    private final String what;
    private int at;

    Reader(byte[] bytes, String what) {
      this.bytes = bytes;
      this.what = what;
    }

    int next() {
      if (at >= bytes.length) {
        throw new IllegalArgumentException(what + ": chunk list cut short at byte " + at);
      }
      return bytes[at++] & 0xff;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = next();
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException(what + ": chunk list has an integer longer than 64 bits at byte " + at);
    }

    int remaining() {
      return bytes.length - at;
    }
  }
}
