package org.atl03.datasource.spark;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Or;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.GeoBox;
import org.atl03.datasource.atl03.PhotonFilter;

/**
 * What the scan can use of Spark's filters: a lat/lon box, a delta_time window (from delta_time or time), the
 * beams and the beam strength. Pure: it only reads the filters. Bounds are taken inclusively (the segment pruning
 * is conservative anyway) and every filter is still evaluated by Spark after the scan, so a filter it cannot use
 * costs bytes, never correctness.
 */
record PushedFilters(PhotonFilter photons, Set<String> beams, String beamStrength, List<Filter> used) {

  static PushedFilters of(Filter[] filters) {
    Builder builder = new Builder();
    for (Filter filter : filters) {
      builder.conjunct(filter);
    }
    return builder.build();
  }

  /** Whether a beam of a given strength can hold rows. */
  boolean selectsBeam(String beam, String strength) {
    return (beams == null || beams.contains(beam))
        && (beamStrength == null || beamStrength.equalsIgnoreCase(strength));
  }

  private static final class Builder {
    double south = Double.NEGATIVE_INFINITY;
    double north = Double.POSITIVE_INFINITY;
    double west = Double.NEGATIVE_INFINITY;
    double east = Double.POSITIVE_INFINITY;
    // a longitude interval that crosses the antimeridian (from OR of two comparisons), or null
    double[] wrappedLon;
    double minTime = Double.NEGATIVE_INFINITY;
    double maxTime = Double.POSITIVE_INFINITY;
    Set<String> beams;
    String strength;
    boolean contradiction;
    final List<Filter> used = new ArrayList<>();

    void conjunct(Filter filter) {
      if (filter instanceof And and) {
        conjunct(and.left());
        conjunct(and.right());
        return;
      }
      if (apply(filter)) {
        used.add(filter);
      }
    }

    private boolean apply(Filter filter) {
      if (filter instanceof Or or) {
        return applyWrappedLongitude(or);
      }
      if (filter instanceof In in) {
        if (!in.attribute().equals(Atl03Columns.BEAM)) {
          return false;
        }
        Set<String> values = new LinkedHashSet<>();
        for (Object value : in.values()) {
          if (value != null) {
            values.add(value.toString().toLowerCase(Locale.ROOT));
          }
        }
        restrictBeams(values);
        return true;
      }
      Bound bound = Bound.of(filter);
      if (bound == null) {
        return false;
      }
      switch (bound.attribute) {
        case Atl03Columns.BEAM -> restrictBeams(Set.of(bound.value.toString().toLowerCase(Locale.ROOT)));
        case Atl03Columns.BEAM_STRENGTH -> {
          String value = bound.value.toString().toLowerCase(Locale.ROOT);
          contradiction |= strength != null && !strength.equals(value);
          strength = value;
        }
        case Atl03Columns.LAT -> {
          double v = number(bound.value);
          if (bound.lower) south = Math.max(south, v);
          if (bound.upper) north = Math.min(north, v);
        }
        case Atl03Columns.LON -> {
          double v = number(bound.value);
          if (bound.lower) west = Math.max(west, v);
          if (bound.upper) east = Math.min(east, v);
        }
        case Atl03Columns.DELTA_TIME, Atl03Columns.TIME -> {
          double v = bound.attribute.equals(Atl03Columns.TIME) ? deltaTime(bound.value) : number(bound.value);
          if (Double.isNaN(v)) {
            return false;
          }
          if (bound.lower) minTime = Math.max(minTime, v);
          if (bound.upper) maxTime = Math.min(maxTime, v);
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    /** {@code lon_ph >= 170 OR lon_ph <= -170}: a box across the antimeridian. */
    private boolean applyWrappedLongitude(Or or) {
      Bound a = Bound.of(or.left());
      Bound b = Bound.of(or.right());
      if (a == null || b == null || !a.attribute.equals(Atl03Columns.LON) || !b.attribute.equals(Atl03Columns.LON)) {
        return false;
      }
      Bound low = a.lower && !a.upper ? a : b.lower && !b.upper ? b : null;
      Bound high = low == a ? b : a;
      if (low == null || !high.upper || high.lower) {
        return false;
      }
      double from = number(low.value);
      double to = number(high.value);
      if (from <= to) {
        return false; // not a wrap: every longitude matches one side
      }
      wrappedLon = new double[] {from, to};
      return true;
    }

    private void restrictBeams(Set<String> values) {
      if (beams == null) {
        beams = new LinkedHashSet<>(values);
      } else {
        beams.retainAll(values);
      }
    }

    PushedFilters build() {
      GeoBox box = null;
      double w = Math.max(west, -180);
      double e = Math.min(east, 180);
      if (wrappedLon != null) {
        if (west > Double.NEGATIVE_INFINITY || east < Double.POSITIVE_INFINITY) {
          // both a plain and a wrapped longitude interval: keep the plain one, conservative enough
          wrappedLon = null;
        } else {
          w = wrappedLon[0];
          e = wrappedLon[1];
        }
      }
      boolean hasBox = south > Double.NEGATIVE_INFINITY || north < Double.POSITIVE_INFINITY
          || west > Double.NEGATIVE_INFINITY || east < Double.POSITIVE_INFINITY || wrappedLon != null;
      if (hasBox) {
        double s = Math.max(south, -90);
        double n = Math.min(north, 90);
        boolean emptyLon = wrappedLon == null && w > e;
        box = emptyLon ? new GeoBox(0, 1, 0, 0) : new GeoBox(w, s, e, n);
      }
      double min = contradiction ? 1 : minTime;
      double max = contradiction ? 0 : maxTime;
      PhotonFilter photons = new PhotonFilter(box, min, max);
      return new PushedFilters(photons, beams == null ? null : Set.copyOf(beams), strength, List.copyOf(used));
    }

    private static double number(Object value) {
      if (value instanceof Number n) {
        return n.doubleValue();
      }
      throw new IllegalArgumentException("not a number: " + value);
    }

    private static double deltaTime(Object value) {
      if (value instanceof Timestamp ts) {
        return AtlasSdpTime.toDeltaTime(ts.toInstant());
      }
      if (value instanceof Instant instant) {
        return AtlasSdpTime.toDeltaTime(instant);
      }
      if (value instanceof LocalDateTime ldt) {
        return AtlasSdpTime.toDeltaTime(ldt.toInstant(ZoneOffset.UTC));
      }
      return Double.NaN;
    }
  }

  /** One comparison of a column with a literal, as lower and/or upper bound. */
  private record Bound(String attribute, Object value, boolean lower, boolean upper) {
    static Bound of(Filter filter) {
      if (filter instanceof EqualTo f && f.value() != null) return new Bound(f.attribute(), f.value(), true, true);
      if (filter instanceof GreaterThan f && f.value() != null) return new Bound(f.attribute(), f.value(), true, false);
      if (filter instanceof GreaterThanOrEqual f && f.value() != null) {
        return new Bound(f.attribute(), f.value(), true, false);
      }
      if (filter instanceof LessThan f && f.value() != null) return new Bound(f.attribute(), f.value(), false, true);
      if (filter instanceof LessThanOrEqual f && f.value() != null) {
        return new Bound(f.attribute(), f.value(), false, true);
      }
      return null;
    }
  }
}
