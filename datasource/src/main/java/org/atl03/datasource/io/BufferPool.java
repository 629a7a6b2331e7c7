package org.atl03.datasource.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Byte arrays reused from read to read: arrays of a few MB each would otherwise be fresh (often humongous) arrays,
 * each zeroed only to be overwritten, and garbage a moment later. Holds at most {@code maxPooled} free arrays of at
 * most {@code maxBytes} together; their lengths are rounded up (to 64 KiB, then whole MiB) so that reads of similar
 * size share them. Thread-safe: I/O threads take, the reading thread gives back; tasks share a JVM-wide pool.
 */
public final class BufferPool {

  private static final int MIN = 64 << 10;
  private static final int MIB = 1 << 20;

  private final int maxPooled;
  private final long maxBytes;
  private final List<byte[]> free = new ArrayList<>();
  private long freeBytes;

  public BufferPool(int maxPooled) {
    this(maxPooled, Long.MAX_VALUE);
  }

  public BufferPool(int maxPooled, long maxBytes) {
    this.maxPooled = maxPooled;
    this.maxBytes = maxBytes;
  }

  /** An array of at least {@code length} bytes (its contents are stale): the smallest free one that fits, or new. */
  public synchronized byte[] take(int length) {
    int best = -1;
    for (int i = 0; i < free.size(); i++) {
      int have = free.get(i).length;
      if (have >= length && (best < 0 || have < free.get(best).length)) {
        best = i;
      }
    }
    if (best < 0) {
      return new byte[rounded(length)];
    }
    freeBytes -= free.get(best).length;
    return free.remove(best);
  }

  /** Returns an array taken from this pool; while the pool is full the smallest array is let go. */
  public synchronized void give(byte[] buffer) {
    free.add(buffer);
    freeBytes += buffer.length;
    while (free.size() > maxPooled || (freeBytes > maxBytes && !free.isEmpty())) {
      int smallest = 0;
      for (int i = 1; i < free.size(); i++) {
        if (free.get(i).length < free.get(smallest).length) {
          smallest = i;
        }
      }
      freeBytes -= free.remove(smallest).length;
    }
  }

  /** The bytes of the free arrays held. */
  synchronized long freeBytes() {
    return freeBytes;
  }

  static int rounded(int length) {
    if (length <= MIN) {
      return MIN;
    }
    long up = (length + (long) MIB - 1) / MIB * MIB;
    return up > Integer.MAX_VALUE - 16 ? length : (int) up;
  }
}
