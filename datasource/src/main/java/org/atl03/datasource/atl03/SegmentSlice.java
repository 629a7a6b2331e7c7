package org.atl03.datasource.atl03;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The segments overlapping a window of photons, shipped with a partition so that a task can give each photon its
 * segment (segment_id, segment-rate datasets) without reading the beam's whole geolocation group.
 */
public final class SegmentSlice implements Serializable {

  private final int firstSegment;
  private final long[] photonStart; // per segment of the slice, plus one past the last
  private final int[] segmentId;

  SegmentSlice(int firstSegment, long[] photonStart, int[] segmentId) {
    this.firstSegment = firstSegment;
    this.photonStart = photonStart;
    this.segmentId = segmentId;
  }

  /** The segments holding photons [start, end) of the index (empty segments inside included). */
  public static SegmentSlice of(SegmentIndex index, PhotonRange window) {
    if (window.isEmpty()) {
      return new SegmentSlice(0, new long[] {window.start()}, new int[0]);
    }
    int first = index.segmentOf(window.start());
    int last = index.segmentOf(window.end() - 1);
    int n = last - first + 1;
    long[] starts = new long[n + 1];
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      starts[i] = index.photonStart(first + i);
      ids[i] = index.segmentId(first + i);
    }
    starts[n] = index.photonStart(last) + index.photonCount(last);
    return new SegmentSlice(first, starts, ids);
  }

  /**
   * The part of this slice holding photons [start, end) of {@code window}, which it must hold: what {@link #of} gives
   * for the window from the whole index, without keeping the index.
   */
  public SegmentSlice narrowed(PhotonRange window) {
    if (window.isEmpty()) {
      return new SegmentSlice(0, new long[] {window.start()}, new int[0]);
    }
    int first = position(window.start());
    int last = position(window.end() - 1);
    return new SegmentSlice(firstSegment + first, Arrays.copyOfRange(photonStart, first, last + 2),
        Arrays.copyOfRange(segmentId, first, last + 1));
  }

  /** Position in this slice of the (non-empty) segment holding {@code photon}. */
  private int position(long photon) {
    if (photon < photonStart[0] || photon >= photonStart[photonStart.length - 1]) {
      throw new IndexOutOfBoundsException("photon " + photon + " outside the slice [" + photonStart[0] + ", "
          + photonStart[photonStart.length - 1] + ")");
    }
    int s = Arrays.binarySearch(photonStart, photon);
    s = s >= 0 ? s : -s - 2;
    while (photonStart[s + 1] <= photon) {
      s++; // past empty segments, whose start equals the next one's
    }
    return s;
  }

  /** This slice of a part of a beam, renumbered into the whole beam's segments and photons. */
  SegmentSlice shifted(int segments, long photons) {
    long[] starts = photonStart.clone();
    for (int i = 0; i < starts.length; i++) {
      starts[i] += photons;
    }
    return new SegmentSlice(firstSegment + segments, starts, segmentId);
  }

  /** Index into the beam's geolocation datasets of the slice's first segment. */
  public int firstSegment() {
    return firstSegment;
  }

  public int segments() {
    return segmentId.length;
  }

  /**
   * For photons [start, end): the position within this slice of each photon's segment, written to {@code out}.
   * Photons outside the slice are a planning error.
   */
  public void segmentsOf(long start, long end, int[] out) {
    if (start < photonStart[0] || end > photonStart[photonStart.length - 1]) {
      throw new IndexOutOfBoundsException(
          "photons [" + start + ", " + end + ") outside the slice [" + photonStart[0] + ", "
              + photonStart[photonStart.length - 1] + ")");
    }
    if (start >= end) {
      return;
    }
    int s = position(start);
    for (long p = start; p < end; p++) {
      while (photonStart[s + 1] <= p) {
        s++; // skips empty segments, whose start equals the next one's
      }
      out[(int) (p - start)] = s;
    }
  }

  public int segmentId(int positionInSlice) {
    return segmentId[positionInSlice];
  }
}
