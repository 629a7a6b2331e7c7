package org.atl03.datasource.atl03;

import java.io.Serializable;

/**
 * One beam's geolocation segments (~20 m along track): how many photons each holds, where its reference photon
 * is and when. The photons of segment {@code i} are [photonStart(i), photonStart(i) + photonCount(i)) in the beam's
 * heights datasets; the start is the cumulative sum of {@code segment_ph_cnt}, not {@code ph_index_beg}, which is
 * 0 for empty segments.
 */
public final class SegmentIndex implements Serializable {

  private final int[] segmentId;
  private final int[] photonCount;
  private final long[] photonStart;
  private final double[] referenceLat;
  private final double[] referenceLon;
  private final double[] deltaTime;

  /**
   * @param segmentId {@code segment_id}, may be null (ids are then the indexes)
   * @param photonCount {@code segment_ph_cnt}
   * @param referenceLat {@code reference_photon_lat}, may be null when no box is pruned on (reads as NaN)
   * @param referenceLon {@code reference_photon_lon}, likewise
   * @param deltaTime geolocation {@code delta_time}, may be null when no time window is pruned on (reads as NaN)
   */
  public SegmentIndex(
      int[] segmentId, int[] photonCount, double[] referenceLat, double[] referenceLon, double[] deltaTime) {
    int n = photonCount.length;
    if (differs(referenceLat, n) || differs(referenceLon, n) || differs(deltaTime, n)
        || (segmentId != null && segmentId.length != n)) {
      throw new IllegalArgumentException(
          "geolocation datasets differ in length: segment_ph_cnt " + n + ", reference_photon_lat "
              + length(referenceLat) + ", reference_photon_lon " + length(referenceLon) + ", delta_time "
              + length(deltaTime) + (segmentId == null ? "" : ", segment_id " + segmentId.length));
    }
    this.segmentId = segmentId;
    this.photonCount = photonCount;
    this.referenceLat = referenceLat;
    this.referenceLon = referenceLon;
    this.deltaTime = deltaTime;
    this.photonStart = new long[n + 1];
    for (int i = 0; i < n; i++) {
      if (photonCount[i] < 0) {
        throw new IllegalArgumentException("segment_ph_cnt[" + i + "] is negative: " + photonCount[i]);
      }
      photonStart[i + 1] = photonStart[i] + photonCount[i];
    }
  }

  public int segments() {
    return photonCount.length;
  }

  public long photons() {
    return photonStart[photonCount.length];
  }

  public int photonCount(int segment) {
    return photonCount[segment];
  }

  public long photonStart(int segment) {
    return photonStart[segment];
  }

  public double referenceLat(int segment) {
    return referenceLat == null ? Double.NaN : referenceLat[segment];
  }

  public double referenceLon(int segment) {
    return referenceLon == null ? Double.NaN : referenceLon[segment];
  }

  public double deltaTime(int segment) {
    return deltaTime == null ? Double.NaN : deltaTime[segment];
  }

  private static boolean differs(double[] values, int n) {
    return values != null && values.length != n;
  }

  private static String length(double[] values) {
    return values == null ? "(not read)" : String.valueOf(values.length);
  }

  /** The {@code segment_id} of the segment, or its index when the file has no segment ids. */
  public int segmentId(int segment) {
    return segmentId == null ? segment : segmentId[segment];
  }

  /** The segment holding a photon (binary search over the cumulative starts); empty segments are skipped. */
  public int segmentOf(long photon) {
    if (photon < 0 || photon >= photons()) {
      throw new IndexOutOfBoundsException("photon " + photon + " of " + photons());
    }
    int lo = 0;
    int hi = photonCount.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (photonStart[mid] <= photon) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
