package org.atl03.datasource.spark.atl03;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.GeoBox;
import org.atl03.datasource.atl03.PhotonFilter;

/**
 * Where a filter can hold, in the photon columns the segment index prunes by: a latitude interval, a set of
 * longitude intervals and a {@code delta_time} interval (closed, possibly infinite). Every row on which the filter
 * is TRUE lies inside {@link #whereTrue}: AND intersects, OR unites (a hull per column), NOT swaps the region where
 * the filter is TRUE with the one where it is FALSE. A comparison is translated only when that is exact for every
 * row: a double literal that is not NaN for {@code lat_ph}/{@code lon_ph}/{@code delta_time}, a timestamp for
 * {@code time}, converted with the beam's own {@code atlas_sdp_gps_epoch} and widened by the conversion's slack.
 * Anything else (NaN, NULL, another type, another operator or column) constrains nothing. A subtree whose value on
 * the beam is decided by its per-beam columns ({@link FilterTruth}) is the whole space or nothing.
 *
 * <p>The photon columns are never NULL; that Spark orders NaN above every number only matters for NaN photon
 * values, which ATL03 does not have (and pruning keeps whole segments near their reference photon anyway).
 */
record PhotonRegion(Interval lat, List<Interval> lon, Interval deltaTime) {

  static final PhotonRegion ALL = new PhotonRegion(Interval.ALL, List.of(Interval.ALL), Interval.ALL);
  static final PhotonRegion NONE = new PhotonRegion(Interval.NONE, List.of(), Interval.NONE);

  /** A closed interval of doubles, possibly infinite; empty when {@code low > high}. */
  record Interval(double low, double high) {
    static final Interval ALL = new Interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    static final Interval NONE = new Interval(1, 0);

    boolean isEmpty() {
      return !(low <= high);
    }

    Interval intersect(Interval o) {
      return new Interval(Math.max(low, o.low), Math.min(high, o.high));
    }

    Interval hull(Interval o) {
      return isEmpty() ? o : o.isEmpty() ? this : new Interval(Math.min(low, o.low), Math.max(high, o.high));
    }

    static Interval atLeast(double v) {
      return new Interval(v, Double.POSITIVE_INFINITY);
    }

    static Interval atMost(double v) {
      return new Interval(Double.NEGATIVE_INFINITY, v);
    }
  }

  boolean isEmpty() {
    return lat.isEmpty() || lon.isEmpty() || deltaTime.isEmpty();
  }

  PhotonRegion intersect(PhotonRegion o) {
    List<Interval> lons = new ArrayList<>();
    for (Interval a : lon) {
      for (Interval b : o.lon) {
        Interval both = a.intersect(b);
        if (!both.isEmpty()) {
          lons.add(both);
        }
      }
    }
    return normalized(lat.intersect(o.lat), lons, deltaTime.intersect(o.deltaTime));
  }

  /** The smallest region of this shape holding both: exact in longitude, a hull in latitude and time. */
  PhotonRegion union(PhotonRegion o) {
    if (isEmpty()) {
      return o;
    }
    if (o.isEmpty()) {
      return this;
    }
    List<Interval> lons = new ArrayList<>(lon);
    lons.addAll(o.lon);
    return normalized(lat.hull(o.lat), lons, deltaTime.hull(o.deltaTime));
  }

  private static PhotonRegion normalized(Interval lat, List<Interval> lon, Interval deltaTime) {
    List<Interval> sorted = new ArrayList<>(lon.stream().filter(i -> !i.isEmpty()).toList());
    sorted.sort(Comparator.comparingDouble(Interval::low));
    List<Interval> merged = new ArrayList<>();
    for (Interval i : sorted) {
      Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && i.low() <= last.high()) {
        merged.set(merged.size() - 1, new Interval(last.low(), Math.max(last.high(), i.high())));
      } else {
        merged.add(i);
      }
    }
    PhotonRegion region = new PhotonRegion(lat, List.copyOf(merged), deltaTime);
    return region.isEmpty() ? NONE : region;
  }

  /** Holds every row of the beam on which {@code filter} is TRUE. */
  static PhotonRegion whereTrue(Filter filter, BeamFacts beam) {
    return analyse(filter, beam).whereTrue;
  }

  /** Holds every row of the beam on which {@code filter} is FALSE. */
  static PhotonRegion whereFalse(Filter filter, BeamFacts beam) {
    return analyse(filter, beam).whereFalse;
  }

  /** A filter's possible values on the beam, and where it is TRUE and FALSE: one pass over the tree. */
  private record Analysis(int truth, PhotonRegion whereTrue, PhotonRegion whereFalse) {
    Analysis {
      // a value the filter cannot take on this beam holds nowhere, whatever its comparisons say
      whereTrue = FilterTruth.canBeTrue(truth) ? whereTrue : NONE;
      whereFalse = FilterTruth.canBeFalse(truth) ? whereFalse : NONE;
    }
  }

  private static Analysis analyse(Filter filter, BeamFacts beam) {
    if (filter instanceof Not not) {
      Analysis child = analyse(not.child(), beam);
      return new Analysis(FilterTruth.not(child.truth), child.whereFalse, child.whereTrue);
    }
    if (filter instanceof And and) {
      Analysis l = analyse(and.left(), beam);
      Analysis r = analyse(and.right(), beam);
      return new Analysis(FilterTruth.and(l.truth, r.truth), l.whereTrue.intersect(r.whereTrue),
          l.whereFalse.union(r.whereFalse));
    }
    if (filter instanceof Or or) {
      Analysis l = analyse(or.left(), beam);
      Analysis r = analyse(or.right(), beam);
      return new Analysis(FilterTruth.or(l.truth, r.truth), l.whereTrue.union(r.whereTrue),
          l.whereFalse.intersect(r.whereFalse));
    }
    return new Analysis(FilterTruth.of(filter, beam), comparison(filter, beam, true), comparison(filter, beam, false));
  }

  /** A comparison of a photon column with a literal, or ALL when it is not translated exactly. */
  private static PhotonRegion comparison(Filter filter, BeamFacts beam, boolean value) {
    String[] references = filter.references();
    if (references.length != 1) {
      return ALL;
    }
    String column = references[0];
    if (filter instanceof In in) {
      if (!value || in.values().length == 0) {
        return ALL; // NOT IN excludes points: nothing an interval can say
      }
      PhotonRegion region = NONE;
      for (Object listed : in.values()) {
        Interval point = bound(column, listed, beam, Kind.POINT);
        if (point == null) {
          return ALL;
        }
        region = region.union(on(column, point));
      }
      return region;
    }
    Kind kind;
    Object literal;
    if (filter instanceof EqualTo f) { literal = f.value(); kind = value ? Kind.POINT : null; }
    else if (filter instanceof EqualNullSafe f) { literal = f.value(); kind = value ? Kind.POINT : null; }
    else if (filter instanceof GreaterThan f) { literal = f.value(); kind = value ? Kind.LOWER : Kind.UPPER; }
    else if (filter instanceof GreaterThanOrEqual f) { literal = f.value(); kind = value ? Kind.LOWER : Kind.UPPER; }
    else if (filter instanceof LessThan f) { literal = f.value(); kind = value ? Kind.UPPER : Kind.LOWER; }
    else if (filter instanceof LessThanOrEqual f) { literal = f.value(); kind = value ? Kind.UPPER : Kind.LOWER; }
    else return ALL;
    if (kind == null) {
      return ALL; // x <> v: everything but a point
    }
    Interval interval = bound(column, literal, beam, kind);
    return interval == null ? ALL : on(column, interval);
  }

  /** Which side of a literal the rows lie on: strict comparisons are taken inclusively, a superset. */
  private enum Kind { LOWER, UPPER, POINT }

  /** The interval of a column's values on the {@code kind} side of a literal, or null when not exact. */
  private static Interval bound(String column, Object literal, BeamFacts beam, Kind kind) {
    double low;
    double high;
    switch (column) {
      case Atl03Columns.LAT, Atl03Columns.LON, Atl03Columns.DELTA_TIME -> {
        if (!(literal instanceof Double d) || Double.isNaN(d)) {
          return null; // NaN sorts above every number in Spark: no interval of numbers describes it
        }
        low = d;
        high = d;
      }
      case Atl03Columns.TIME -> {
        if (!(literal instanceof java.sql.Timestamp) && !(literal instanceof java.time.Instant)) {
          return null;
        }
        long micros = DateTimeUtils.anyToMicros(literal); // as Spark turns the literal into the column's value
        double deltaTime = AtlasSdpTime.toDeltaTime(micros, beam.sdpGpsEpoch());
        double slack = AtlasSdpTime.inversionSlackSeconds(micros);
        low = deltaTime - slack;
        high = deltaTime + slack;
      }
      default -> {
        return null;
      }
    }
    return switch (kind) {
      case LOWER -> Interval.atLeast(low);
      case UPPER -> Interval.atMost(high);
      case POINT -> new Interval(low, high);
    };
  }

  private static PhotonRegion on(String column, Interval interval) {
    return switch (column) {
      case Atl03Columns.LAT -> normalized(interval, ALL.lon, Interval.ALL);
      case Atl03Columns.LON -> normalized(Interval.ALL, List.of(interval), Interval.ALL);
      default -> normalized(Interval.ALL, ALL.lon, interval); // delta_time, or time converted to it
    };
  }

  /**
   * As the scan's filter: a box (or none) and a delta_time window. Longitudes are clipped to [-180, 180]; of
   * several disjoint longitude intervals the box spans all, leaving out the widest gap between them (across the
   * antimeridian when that gap is inside).
   */
  PhotonFilter toPhotonFilter() {
    if (isEmpty()) {
      return toEmptyFilter();
    }
    GeoBox box = null;
    boolean anyLon = lon.size() == 1 && lon.get(0).low() <= -180 && lon.get(0).high() >= 180;
    boolean anyLat = lat.low() == Double.NEGATIVE_INFINITY && lat.high() == Double.POSITIVE_INFINITY;
    if (!anyLon || !anyLat) {
      double west = -180;
      double east = 180;
      List<Interval> clipped = lon.stream().map(i -> i.intersect(new Interval(-180, 180)))
          .filter(i -> !i.isEmpty()).toList();
      if (clipped.isEmpty()) {
        return toEmptyFilter();
      }
      if (!anyLon) {
        // the widest gap: around the antimeridian (last to first), or between two neighbours
        west = clipped.get(0).low();
        east = clipped.get(clipped.size() - 1).high();
        double widest = (west + 360) - east;
        for (int i = 0; i + 1 < clipped.size(); i++) {
          double gap = clipped.get(i + 1).low() - clipped.get(i).high();
          if (gap > widest) {
            widest = gap;
            west = clipped.get(i + 1).low();
            east = clipped.get(i).high();
          }
        }
      }
      box = new GeoBox(west, lat.low(), east, lat.high());
    }
    return new PhotonFilter(box, deltaTime.low(), deltaTime.high());
  }

  private static PhotonFilter toEmptyFilter() {
    return new PhotonFilter(new GeoBox(0, 1, 0, 0), 1, 0);
  }
}
