package org.atl03.datasource.atl03;

import java.util.ArrayList;
import java.util.List;

/**
 * Narrows a beam to the photon ranges that can match a {@link PhotonFilter}, from its {@link SegmentIndex} alone
 * (no photon data read). A segment is kept when its reference photon lies within a margin of the box and the time
 * window: a segment's photons lie within its ~20 m along track (plus a few metres across track and of pointing
 * parallax at their height), so a 200 m / 0.05 s margin never loses a photon, and Spark's exact filter after the
 * scan drops the few extra. Near the poles a longitude margin grows to the whole circle, as it must.
 */
public final class PhotonPruning {

  /** Metres a photon may lie from its segment's reference photon and still be kept. */
  public static final double DEFAULT_MARGIN_METERS = 200;

  /** Seconds a photon's delta_time may differ from its segment's and still be kept (~350 m of track). */
  public static final double DEFAULT_MARGIN_SECONDS = 0.05;

  // the shortest degree of latitude (at the equator) and the longest degree of longitude: both conservative
  private static final double METERS_PER_DEGREE_LAT = 110_574;
  private static final double METERS_PER_DEGREE_LON_AT_EQUATOR = 111_321;

  private PhotonPruning() {}

  public static List<PhotonRange> select(SegmentIndex index, PhotonFilter filter) {
    return select(index, filter, DEFAULT_MARGIN_METERS, DEFAULT_MARGIN_SECONDS);
  }

  public static List<PhotonRange> select(
      SegmentIndex index, PhotonFilter filter, double marginMeters, double marginSeconds) {
    List<PhotonRange> ranges = new ArrayList<>();
    if (index.photons() == 0 || filter.selectsNothing()) {
      return ranges;
    }
    if (filter.selectsEverything()) {
      ranges.add(new PhotonRange(0, index.photons()));
      return ranges;
    }
    double minTime = filter.minDeltaTime() - marginSeconds;
    double maxTime = filter.maxDeltaTime() + marginSeconds;
    long openStart = -1;
    for (int s = 0; s < index.segments(); s++) {
      if (index.photonCount(s) == 0) {
        continue; // empty segments hold nothing; they neither open nor close a range
      }
      boolean keep =
          mayHoldTime(index.deltaTime(s), minTime, maxTime)
              && (filter.box() == null
                  || mayHoldPosition(filter.box(), index.referenceLon(s), index.referenceLat(s), marginMeters));
      long start = index.photonStart(s);
      if (keep && openStart < 0) {
        openStart = start;
      } else if (!keep && openStart >= 0) {
        ranges.add(new PhotonRange(openStart, start));
        openStart = -1;
      }
    }
    if (openStart >= 0) {
      ranges.add(new PhotonRange(openStart, index.photons()));
    }
    return ranges;
  }

  /** Times that are not numbers (fill values) cannot be trusted to exclude anything. */
  static boolean mayHoldTime(double time, double minTime, double maxTime) {
    return !(time < minTime) && !(time > maxTime);
  }

  static boolean mayHoldPosition(GeoBox box, double lon, double lat, double marginMeters) {
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 360)) {
      return true; // a fill value (3.4e38) or NaN: unknown position, keep it
    }
    double marginLat = marginLatitude(marginMeters);
    if (box.latitudeDistance(lat) > marginLat) {
      return false;
    }
    double marginLon = marginLongitude(marginMeters, Math.abs(lat) + marginLat);
    return Double.isInfinite(marginLon) || box.longitudeDistance(lon) <= marginLon; // a pole: every longitude
  }

  /**
   * Whether a segment's longitude can change {@link #mayHoldPosition}'s answer: only where its latitude is a number
   * within the margin of the box's band. Elsewhere the answer is the same for every longitude, so planning reads
   * reference_photon_lon only for the segments this holds for.
   */
  public static boolean longitudeDecides(GeoBox box, double lat, double marginMeters) {
    return Math.abs(lat) <= 90 && box.latitudeDistance(lat) <= marginLatitude(marginMeters);
  }

  /** Rows {@code [start, end)} of a beam's segment datasets, counted from the first row read. */
  public record SegmentRows(int start, int end) {}

  /**
   * The runs of segments whose longitude decides ({@link #longitudeDecides}), given their latitudes: what planning
   * must read of reference_photon_lon. Runs whose rows share a chunk, or lie in neighbouring chunks, are one run
   * (the chunks are read either way); a whole chunk without such a segment parts them. {@code lat[0]} is row
   * {@code firstRow} of a dataset of {@code chunkRows}-row chunks.
   */
  public static List<SegmentRows> longitudeRuns(double[] lat, long firstRow, long chunkRows, GeoBox box,
      double marginMeters) {
    List<SegmentRows> runs = new ArrayList<>();
    int s = 0;
    while (s < lat.length) {
      if (!longitudeDecides(box, lat[s], marginMeters)) {
        s++;
        continue;
      }
      int start = s;
      int end = s + 1;
      for (int t = end; t < lat.length && (firstRow + t) / chunkRows <= (firstRow + end - 1) / chunkRows + 1; t++) {
        if (longitudeDecides(box, lat[t], marginMeters)) {
          end = t + 1;
        }
      }
      runs.add(new SegmentRows(start, end));
      s = end;
    }
    return runs;
  }

  /** The margin in degrees of latitude: over the shortest degree (at the equator), so never too small. */
  public static double marginLatitude(double marginMeters) {
    return marginMeters / METERS_PER_DEGREE_LAT;
  }

  /**
   * The margin in degrees of longitude for points up to {@code highestLat} (absolute), where a degree is shortest;
   * infinite within the margin of a pole, where every longitude is near.
   */
  public static double marginLongitude(double marginMeters, double highestLat) {
    double metersPerDegreeLon = METERS_PER_DEGREE_LON_AT_EQUATOR * Math.cos(Math.toRadians(Math.min(90, highestLat)));
    return metersPerDegreeLon * 180 <= marginMeters ? Double.POSITIVE_INFINITY : marginMeters / metersPerDegreeLon;
  }
}
