package org.atl03.datasource.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Byte arrays for range reads, reused from request to request: a reader's requests of a few MB each would otherwise
 * be fresh (often humongous) arrays, each zeroed only to be overwritten, and garbage a moment later. Holds at most
 * {@code maxPooled} free arrays; their lengths are rounded up (to 64 KiB, then whole MiB) so that requests of
 * similar size share them. Thread-safe: I/O threads take, the reading thread gives back.
 */
public final class BufferPool {

  private static final int MIN = 64 << 10;
  private static final int MIB = 1 << 20;

  private final int maxPooled;
  private final List<byte[]> free = new ArrayList<>();

  public BufferPool(int maxPooled) {
    this.maxPooled = maxPooled;
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
    return best >= 0 ? free.remove(best) : new byte[rounded(length)];
  }

  /** Returns an array taken from this pool; when the pool is full the smallest array is let go. */
  public synchronized void give(byte[] buffer) {
    free.add(buffer);
    if (free.size() > maxPooled) {
      int smallest = 0;
      for (int i = 1; i < free.size(); i++) {
        if (free.get(i).length < free.get(smallest).length) {
          smallest = i;
        }
      }
      free.remove(smallest);
    }
  }

  static int rounded(int length) {
    if (length <= MIN) {
      return MIN;
    }
    long up = (length + (long) MIB - 1) / MIB * MIB;
    return up > Integer.MAX_VALUE - 16 ? length : (int) up;
  }
}
