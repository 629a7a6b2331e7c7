package org.atl03.datasource.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges byte ranges (chunks sorted by file offset) into fewer, larger read requests. On object stores a request
 * costs tens of milliseconds of latency regardless of size, so reading a small gap is cheaper than another request.
 * The rule (h5coro's): extend the current request by the next range while the merged span stays within
 * {@code maxRequestBytes} and either within {@code maxSpanRatio} times the bytes actually needed or the gap before
 * the range is at most {@code maxGapBytes}. A pure function.
 */
public final class RangeCoalescer {

  /** Merge while the span is at most twice the needed bytes; requests up to 64 MiB. */
  public static final RangeCoalescer DEFAULT = new RangeCoalescer(2.0, 64L << 20);
  /** One request per range, for comparison. */
  public static final RangeCoalescer NONE = new RangeCoalescer(0, 0);

  private final double maxSpanRatio;
  private final long maxGapBytes;
  private final long maxRequestBytes;

  public RangeCoalescer(double maxSpanRatio, long maxRequestBytes) {
    this(maxSpanRatio, -1, maxRequestBytes);
  }

  private RangeCoalescer(double maxSpanRatio, long maxGapBytes, long maxRequestBytes) {
    if (maxSpanRatio < 0 || maxRequestBytes < 0) {
      throw new IllegalArgumentException("negative limits: " + maxSpanRatio + ", " + maxRequestBytes);
    }
    this.maxSpanRatio = maxSpanRatio;
    this.maxGapBytes = maxGapBytes;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Merges ranges whose gap is at most {@code maxGapBytes}, into requests of at most {@code maxRequestBytes}. */
  public static RangeCoalescer byGap(long maxGapBytes, long maxRequestBytes) {
    if (maxGapBytes < 0) {
      throw new IllegalArgumentException("negative gap: " + maxGapBytes);
    }
    return new RangeCoalescer(0, maxGapBytes, maxRequestBytes);
  }

  /**
   * One read request covering input ranges {@code [first, first + count)}.
   */
  public record Request(long offset, long length, int first, int count) {
    public long end() {
      return offset + length;
    }
  }

  /**
   * Coalesces ranges given by parallel arrays, which must be sorted by offset. Each input range ends up in exactly
   * one request; a request's members are consecutive inputs.
   */
  public List<Request> coalesce(long[] offsets, long[] lengths) {
    if (offsets.length != lengths.length) {
      throw new IllegalArgumentException("offsets and lengths differ in length");
    }
    List<Request> out = new ArrayList<>();
    int n = offsets.length;
    int i = 0;
    while (i < n) {
      long start = offsets[i];
      long end = start + lengths[i];
      long needed = lengths[i];
      int j = i + 1;
      while (j < n) {
        if (offsets[j] < offsets[j - 1]) {
          throw new IllegalArgumentException("ranges not sorted by offset at index " + j);
        }
        long newEnd = Math.max(end, offsets[j] + lengths[j]);
        long newSpan = newEnd - start;
        long newNeeded = needed + lengths[j];
        if (newSpan > maxRequestBytes || newSpan > maxSpanRatio * newNeeded
            && (maxGapBytes < 0 || offsets[j] - end > maxGapBytes)) {
          break;
        }
        end = newEnd;
        needed = newNeeded;
        j++;
      }
      out.add(new Request(start, end - start, i, j - i));
      i = j;
    }
    return out;
  }

  @Override
  public String toString() {
    return "RangeCoalescer[span <= " + maxSpanRatio + " x needed or gap <= " + maxGapBytes + " B, <= "
        + maxRequestBytes + " B]";
  }
}
