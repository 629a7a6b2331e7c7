package org.atl03.datasource.hdf5;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Undoes a dataset's filter pipeline on stored chunk bytes: deflate (id 1) and byte shuffle (id 2), in reverse
 * pipeline order, skipping every filter whose bit is set in the chunk's filter mask (jhdf ignores the mask).
 *
 * <p>Not thread-safe: one decoder per reading thread. The {@link ZlibInflate} and the scratch buffers are reused
 * from chunk to chunk; {@link #close()} releases the inflater's native memory.
 */
final class ChunkDecoder implements AutoCloseable {

  private final DatasetInfo info;
  private final List<FilterSpec> filters;
  private final int chunkBytes;
  private final int maxIntermediate; // bound for a deflate stage's output: guards against corrupt or hostile data
  private static final int INITIAL_BUFFER = 1 << 20;

  private final ZlibInflate inflater;
  private byte[] a;
  private byte[] b;

  ChunkDecoder(DatasetInfo info) {
    this(info, ZlibInflate.create());
  }

  /** A decoder inflating with {@code inflater}, which it closes. */
  ChunkDecoder(DatasetInfo info, ZlibInflate inflater) {
    this.info = info;
    this.inflater = inflater;
    this.filters = info.filters();
    for (FilterSpec f : filters) {
      if (f.id() != FilterSpec.DEFLATE && f.id() != FilterSpec.SHUFFLE) {
        throw new UnsupportedOperationException(info.describe() + ": filter " + f
            + " is not supported (only deflate and shuffle are)");
      }
    }
    this.chunkBytes = Math.toIntExact(info.chunkBytes()); // DatasetInfo bounds it below 2 GiB
    this.maxIntermediate = (int) Math.min(DatasetInfo.MAX_CHUNK_BYTES, chunkBytes + chunkBytes / 8L + 4096);
    // scratch buffers grow with what chunks actually decode to: a corrupt chunk shape alone allocates nothing
    this.a = new byte[Math.min(chunkBytes, INITIAL_BUFFER)];
    this.b = new byte[Math.min(chunkBytes, INITIAL_BUFFER)];
  }

  int chunkBytes() {
    return chunkBytes;
  }

  /**
   * Decodes one stored chunk. Returns an array whose first {@link #chunkBytes()} bytes are the chunk's elements in
   * the dataset's byte order; the array is reused by the next call.
   */
  byte[] decode(byte[] src, int off, int len, int filterMask, long[] chunkOffset) throws IOException {
    return decode(src, off, len, filterMask, chunkOffset, null, 0);
  }

  /**
   * Decodes one stored chunk into {@code dst[dstOff, dstOff + chunkBytes())}: the last filter undone writes there
   * directly, so a whole chunk costs no copy beyond its decoding.
   */
  void decodeInto(byte[] src, int off, int len, int filterMask, long[] chunkOffset, byte[] dst, int dstOff)
      throws IOException {
    java.util.Objects.checkFromIndexSize(dstOff, chunkBytes, dst.length);
    byte[] out = decode(src, off, len, filterMask, chunkOffset, dst, dstOff);
    if (out != dst) { // no filter applied to this chunk
      System.arraycopy(out, 0, dst, dstOff, chunkBytes);
    }
  }

  /**
   * Undoes the active filters in reverse pipeline order, ping-ponging between the scratch buffers; the last one writes
   * into {@code dst} at {@code dstOff} when {@code dst} is given. Returns the array holding the result (from 0, or
   * from dstOff in dst).
   */
  private byte[] decode(byte[] src, int off, int len, int filterMask, long[] chunkOffset, byte[] dst, int dstOff)
      throws IOException {
    int last = -1; // the filter undone last: the first active one in pipeline order
    for (int i = 0; i < filters.size() && last < 0; i++) {
      if ((filterMask & (1 << i)) == 0) {
        last = i;
      }
    }
    byte[] cur = src;
    int curOff = off;
    int curLen = len;
    for (int i = filters.size() - 1; i >= 0; i--) {
      if ((filterMask & (1 << i)) != 0) {
        continue; // bit i set: filter i was skipped when this chunk was written
      }
      FilterSpec f = filters.get(i);
      boolean direct = dst != null && i == last;
      boolean intoA = cur != a; // ping-pong between the two scratch buffers
      if (f.id() == FilterSpec.DEFLATE) {
        if (direct) {
          curLen = inflateInto(cur, curOff, curLen, dst, dstOff, chunkOffset);
          cur = dst;
        } else {
          curLen = inflate(cur, curOff, curLen, intoA, chunkOffset);
          cur = intoA ? a : b;
        }
      } else {
        int elementSize = f.clientData().length > 0 && f.clientData()[0] > 0 ? f.clientData()[0] : info.type().size();
        if (direct && curLen != chunkBytes) {
          throw wrongSize(chunkOffset, curLen);
        }
        byte[] out = direct ? dst : ensure(intoA, curLen);
        unshuffle(cur, curOff, out, direct ? dstOff : 0, curLen, elementSize);
        cur = out;
      }
      curOff = 0;
    }
    if (curLen != chunkBytes) {
      throw wrongSize(chunkOffset, curLen);
    }
    if (cur == src) { // nothing to undo: hand out a copy so callers never alias the range buffer
      ensure(true, len);
      System.arraycopy(src, off, a, 0, len);
      cur = a;
    }
    return cur;
  }

  private IOException wrongSize(long[] chunkOffset, int decoded) {
    return new IOException(where(chunkOffset) + " decodes to " + decoded + " bytes, expected " + chunkBytes);
  }

  /** Inflates straight into the caller's {@code dst}, which has room for exactly one chunk. */
  private int inflateInto(byte[] in, int off, int len, byte[] dst, int dstOff, long[] chunkOffset)
      throws IOException {
    int n;
    try {
      n = inflater.inflate(in, off, len, dst, dstOff, chunkBytes);
    } catch (IOException e) {
      throw new IOException(where(chunkOffset) + ": " + e.getMessage(), e);
    }
    if (n < 0) {
      throw new IOException(where(chunkOffset) + " decodes to more than " + chunkBytes + " bytes, expected "
          + chunkBytes);
    }
    return n;
  }

  /** Inflates into scratch buffer a or b (never the one holding the input); returns the decoded length. */
  private int inflate(byte[] in, int off, int len, boolean intoA, long[] chunkOffset) throws IOException {
    byte[] out = intoA ? a : b;
    while (true) {
      int n;
      try {
        n = inflater.inflate(in, off, len, out);
      } catch (IOException e) {
        throw new IOException(where(chunkOffset) + ": " + e.getMessage(), e);
      }
      if (n >= 0) {
        return n;
      }
      if (out.length >= maxIntermediate) {
        throw new IOException(where(chunkOffset) + " inflates to more than " + maxIntermediate + " bytes");
      }
      out = ensure(intoA, (int) Math.min(maxIntermediate, Math.max(out.length * 2L, 64)));
    }
  }

  /** Grows scratch buffer a or b to at least {@code size}, keeping its contents. */
  private byte[] ensure(boolean bufferA, int size) {
    byte[] buf = bufferA ? a : b;
    if (buf.length < size) {
      buf = Arrays.copyOf(buf, size);
      if (bufferA) {
        a = buf;
      } else {
        b = buf;
      }
    }
    return buf;
  }

  /**
   * Reverses HDF5's byte shuffle: in the shuffled form byte j of element i is at {@code j * count + i}. Trailing
   * bytes that do not fill an element are stored unshuffled at the end.
   */
  static void unshuffle(byte[] src, int srcOff, byte[] dst, int dstOff, int len, int elementSize) {
    if (elementSize <= 1 || elementSize > len) {
      // no whole element: all bytes are the unshuffled tail (and an absurd element size costs no loop)
      System.arraycopy(src, srcOff, dst, dstOff, len);
      return;
    }
    int count = len / elementSize;
    for (int j = 0; j < elementSize; j++) {
      int s = srcOff + j * count;
      int d = dstOff + j;
      for (int i = 0; i < count; i++) {
        dst[d] = src[s + i];
        d += elementSize;
      }
    }
    int tail = len - count * elementSize;
    System.arraycopy(src, srcOff + count * elementSize, dst, dstOff + count * elementSize, tail);
  }

  /** The inverse of {@link #unshuffle}, for tests and tools. */
  static void shuffle(byte[] src, int srcOff, byte[] dst, int dstOff, int len, int elementSize) {
    int count = len / elementSize;
    for (int j = 0; j < elementSize; j++) {
      for (int i = 0; i < count; i++) {
        dst[dstOff + j * count + i] = src[srcOff + i * elementSize + j];
      }
    }
    int tail = len - count * elementSize;
    System.arraycopy(src, srcOff + count * elementSize, dst, dstOff + count * elementSize, tail);
  }

  private String where(long[] chunkOffset) {
    return info.describe() + ": chunk at offset " + Arrays.toString(chunkOffset);
  }

  @Override
  public void close() {
    inflater.close();
  }
}
