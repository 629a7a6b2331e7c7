package org.atl03.datasource.atl03.catalog;

import java.io.Serializable;
import java.util.Arrays;
import org.atl03.datasource.atl03.GeoBox;
import org.atl03.datasource.atl03.PhotonFilter;
import org.atl03.datasource.atl03.PhotonPruning;
import org.atl03.datasource.atl03.SegmentIndex;

/**
 * Where and when a window of a beam lies, as its segments' reference photons tell: the latitude interval, the
 * shortest longitude arc holding every reference longitude ({@code west > east} when it crosses the antimeridian),
 * and the {@code delta_time} interval. NaN bounds mean unknown (a segment's position or time is a fill value or
 * NaN, or a longitude beyond ±180), and an unknown window may hold anything.
 *
 * <p>{@link #mayHold} keeps a window whenever {@link PhotonPruning} would keep one of its segments, with the same
 * margins, so planning from these bounds only skips windows planning from the segment index would skip too.
 */
public record WindowBounds(double latMin, double latMax, double lonWest, double lonEast, double deltaTimeMin,
    double deltaTimeMax) implements Serializable {

  public static final WindowBounds UNKNOWN =
      new WindowBounds(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  public boolean positionKnown() {
    return !Double.isNaN(latMin);
  }

  public boolean timeKnown() {
    return !Double.isNaN(deltaTimeMin);
  }

  public boolean crossesAntimeridian() {
    return positionKnown() && lonWest > lonEast;
  }

  /** The bounds of the non-empty segments {@code [first, end)} of a beam (empty segments hold no photon). */
  public static WindowBounds of(SegmentIndex index, int first, int end) {
    double latMin = Double.POSITIVE_INFINITY;
    double latMax = Double.NEGATIVE_INFINITY;
    double timeMin = Double.POSITIVE_INFINITY;
    double timeMax = Double.NEGATIVE_INFINITY;
    boolean positionKnown = true;
    boolean timeKnown = true;
    double[] lons = new double[Math.max(0, end - first)];
    int n = 0;
    for (int s = first; s < end; s++) {
      if (index.photonCount(s) == 0) {
        continue;
      }
      double lat = index.referenceLat(s);
      double lon = index.referenceLon(s);
      if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
        // a fill value or NaN, which PhotonPruning keeps whatever the box; or a longitude beyond ±180, which it
        // compares with the box as it is (not around the globe): unknown, so that no box skips the window
        positionKnown = false;
      } else {
        latMin = Math.min(latMin, lat);
        latMax = Math.max(latMax, lat);
        lons[n++] = normalize(lon);
      }
      double time = index.deltaTime(s);
      if (Double.isNaN(time)) {
        timeKnown = false;
      } else {
        timeMin = Math.min(timeMin, time);
        timeMax = Math.max(timeMax, time);
      }
    }
    if (n == 0) {
      positionKnown = false;
    }
    if (timeMin > timeMax) {
      timeKnown = false;
    }
    double[] arc = positionKnown ? shortestArc(Arrays.copyOf(lons, n)) : new double[] {Double.NaN, Double.NaN};
    return new WindowBounds(positionKnown ? latMin : Double.NaN, positionKnown ? latMax : Double.NaN, arc[0], arc[1],
        timeKnown ? timeMin : Double.NaN, timeKnown ? timeMax : Double.NaN);
  }

  /** The smallest bounds holding both (for a granule's bounds from its windows'). */
  public WindowBounds union(WindowBounds o) {
    boolean position = positionKnown() && o.positionKnown();
    boolean time = timeKnown() && o.timeKnown();
    double[] arc = position
        ? shortestArc(new double[] {lonWest, lonEast, o.lonWest, o.lonEast}, arcs(this, o))
        : new double[] {Double.NaN, Double.NaN};
    return new WindowBounds(
        position ? Math.min(latMin, o.latMin) : Double.NaN, position ? Math.max(latMax, o.latMax) : Double.NaN,
        arc[0], arc[1],
        time ? Math.min(deltaTimeMin, o.deltaTimeMin) : Double.NaN,
        time ? Math.max(deltaTimeMax, o.deltaTimeMax) : Double.NaN);
  }

  /**
   * Whether the window may hold a photon the filter selects: false only when no segment of the window is within
   * the margins of the filter's box and time window.
   */
  public boolean mayHold(PhotonFilter filter, double marginMeters, double marginSeconds) {
    if (filter.selectsNothing()) {
      return false;
    }
    if (filter.hasTimeWindow() && timeKnown()
        && (deltaTimeMax < filter.minDeltaTime() - marginSeconds
            || deltaTimeMin > filter.maxDeltaTime() + marginSeconds)) {
      return false;
    }
    GeoBox box = filter.box();
    if (box == null || !positionKnown()) {
      return true;
    }
    double marginLat = PhotonPruning.marginLatitude(marginMeters);
    double latDistance = latMax < box.south() ? box.south() - latMax : latMin > box.north() ? latMin - box.north() : 0;
    if (latDistance > marginLat) {
      return false;
    }
    // the window's highest latitude has the shortest degree of longitude: the widest margin in degrees
    double highestLat = Math.max(Math.abs(latMin), Math.abs(latMax)) + marginLat;
    double marginLon = PhotonPruning.marginLongitude(marginMeters, highestLat);
    return Double.isInfinite(marginLon) || longitudeDistance(box) <= marginLon;
  }

  /** Degrees of longitude between the window's arc and the box's longitudes (0 when they meet), around the globe. */
  double longitudeDistance(GeoBox box) {
    if (box.containsLongitude(lonWest) || box.containsLongitude(lonEast)) {
      return 0;
    }
    if (arcContains(lonWest, lonEast, normalize(box.west())) || arcContains(lonWest, lonEast, normalize(box.east()))) {
      return 0; // the box lies inside the arc
    }
    return Math.min(Math.min(circular(lonWest, box.west()), circular(lonWest, box.east())),
        Math.min(circular(lonEast, box.west()), circular(lonEast, box.east())));
  }

  /** A longitude in [-180, 180). */
  static double normalize(double lon) {
    double l = ((lon + 180) % 360 + 360) % 360 - 180;
    return l == -0.0 ? 0 : l;
  }

  private static boolean arcContains(double west, double east, double lon) {
    return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
  }

  private static double circular(double a, double b) {
    double d = Math.abs(a - b) % 360;
    return d > 180 ? 360 - d : d;
  }

  /** {west, east} of the shortest arc holding every longitude (in [-180, 180)): the circle less its widest gap. */
  static double[] shortestArc(double[] lons) {
    return shortestArc(lons, null);
  }

  private static double[][] arcs(WindowBounds a, WindowBounds b) {
    return new double[][] {{a.lonWest, a.lonEast}, {b.lonWest, b.lonEast}};
  }

  /**
   * The shortest arc holding the points, and the arcs given (whose insides are covered too): the widest gap
   * between consecutive points that no arc covers is left out.
   */
  private static double[] shortestArc(double[] points, double[][] covered) {
    double[] sorted = points.clone();
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = normalize(sorted[i]);
    }
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double widest = -1;
    double west = sorted[0];
    double east = sorted[sorted.length - 1];
    for (int i = 0; i < sorted.length; i++) {
      double from = sorted[i];
      double to = i + 1 < sorted.length ? sorted[i + 1] : sorted[0] + 360;
      double gap = to - from;
      double middle = normalize(from + gap / 2);
      if (covered != null && insideAny(covered, middle)) {
        continue;
      }
      if (gap > widest) {
        widest = gap;
        west = normalize(to);
        east = from;
      }
    }
    if (widest < 0) {
      return new double[] {-180, 180}; // the arcs cover the circle
    }
    return new double[] {west, east};
  }

  private static boolean insideAny(double[][] arcs, double lon) {
    for (double[] arc : arcs) {
      if (arcContains(arc[0], arc[1], lon)) {
        return true;
      }
    }
    return false;
  }
}
