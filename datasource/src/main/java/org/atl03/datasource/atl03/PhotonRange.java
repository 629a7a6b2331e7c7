package org.atl03.datasource.atl03;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A half-open range [start, end) of 0-based photon indices into one beam's heights datasets. */
public record PhotonRange(long start, long end) implements Serializable {

  public PhotonRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad photon range [" + start + ", " + end + ")");
    }
  }

  public long length() {
    return end - start;
  }

  public boolean isEmpty() {
    return end == start;
  }

  public PhotonRange intersect(PhotonRange other) {
    long s = Math.max(start, other.start);
    long e = Math.min(end, other.end);
    return e > s ? new PhotonRange(s, e) : null;
  }

  /** Sorted, non-empty, non-overlapping, with touching ranges joined. */
  public static List<PhotonRange> normalize(List<PhotonRange> ranges) {
    List<PhotonRange> sorted = new ArrayList<>(ranges);
    sorted.removeIf(PhotonRange::isEmpty);
    sorted.sort(Comparator.comparingLong(PhotonRange::start));
    List<PhotonRange> merged = new ArrayList<>();
    for (PhotonRange r : sorted) {
      PhotonRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r.start <= last.end) {
        merged.set(merged.size() - 1, new PhotonRange(last.start, Math.max(last.end, r.end)));
      } else {
        merged.add(r);
      }
    }
    return merged;
  }

  public static long totalLength(List<PhotonRange> ranges) {
    return ranges.stream().mapToLong(PhotonRange::length).sum();
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
