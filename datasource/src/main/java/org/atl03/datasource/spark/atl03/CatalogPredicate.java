package org.atl03.datasource.spark.atl03;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.atl03.datasource.atl03.catalog.CatalogFilter.ge;
import static org.atl03.datasource.atl03.catalog.CatalogFilter.gt;
import static org.atl03.datasource.atl03.catalog.CatalogFilter.isNull;
import static org.atl03.datasource.atl03.catalog.CatalogFilter.le;
import static org.atl03.datasource.atl03.catalog.CatalogFilter.lt;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.In;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.GeoBox;
import org.atl03.datasource.atl03.PhotonFilter;
import org.atl03.datasource.atl03.PhotonPruning;
import org.atl03.datasource.atl03.catalog.CatalogFilter;
import org.atl03.datasource.spark.catalog.CatalogTable;

/**
 * The pushed filters as a predicate on the catalog's window rows, for Delta's data skipping: it only has to keep
 * every window the exact per-window check keeps ({@code WindowBounds.mayHold} on {@link PushedFilters}' region), so
 * it translates what it can state on the rows' columns and leaves the rest TRUE. A conjunct on the photons'
 * lat/lon/delta_time becomes bounds widened by the pruning margins; one on {@code time} becomes delta_time bounds for
 * the rows whose epoch is the mission's (the others are kept); equality and IN on the per-beam columns become the
 * same on the rows. NULL bounds (unknown) always pass.
 */
final class CatalogPredicate {

  /** Degrees a window may extend beyond the box's latitudes and still have its longitudes pruned at the box's. */
  private static final double LATITUDE_REACH = 1;
  /** Latitudes up to which a window's longitudes are pruned with the margin there (it grows towards the poles). */
  private static final List<Double> LATITUDE_CAPS = List.of(30.0, 50.0, 65.0, 75.0, 82.0, 86.0, 88.0);

  private static final Set<String> PHOTON = Set.of(Atl03Columns.LAT, Atl03Columns.LON, Atl03Columns.DELTA_TIME);
  private static final BeamFacts MISSION_EPOCH =
      new BeamFacts("", "", "", null, null, AtlasSdpTime.ATLAS_SDP_GPS_EPOCH);

  private CatalogPredicate() {}

  static CatalogFilter of(List<Filter> conjuncts, double marginMeters, double marginSeconds) {
    CatalogFilter predicate = CatalogFilter.eq("kind", CatalogTable.WINDOW);
    for (Filter conjunct : conjuncts) {
      List<String> references = Arrays.asList(conjunct.references());
      if (!references.isEmpty() && PHOTON.containsAll(references)) {
        PhotonFilter f = PhotonRegion.whereTrue(conjunct, MISSION_EPOCH).toPhotonFilter();
        predicate = predicate.and(photons(f, marginMeters, marginSeconds));
      } else if (references.equals(List.of(Atl03Columns.TIME))) {
        PhotonFilter f = PhotonRegion.whereTrue(conjunct, MISSION_EPOCH).toPhotonFilter();
        predicate = predicate.and(isNull("sdp_gps_epoch")
            .or(CatalogFilter.ne("sdp_gps_epoch", AtlasSdpTime.ATLAS_SDP_GPS_EPOCH))
            .or(times(f, marginSeconds)));
      } else if (references.size() == 1 && BeamFacts.isPerBeam(references.get(0))) {
        predicate = predicate.and(perBeam(conjunct));
      }
    }
    return predicate;
  }

  /**
   * Whether the window rows {@link #of} selects may still be dropped by the exact check on the driver (a position
   * or time conjunct): then fetching their manifests only after that check saves reading most of them.
   */
  static boolean narrowedOnTheDriver(List<Filter> conjuncts) {
    for (Filter conjunct : conjuncts) {
      List<String> references = Arrays.asList(conjunct.references());
      if (!references.isEmpty() && (PHOTON.containsAll(references) || references.equals(List.of(Atl03Columns.TIME)))) {
        return true;
      }
    }
    return false;
  }

  private static CatalogFilter photons(PhotonFilter f, double marginMeters, double marginSeconds) {
    if (f.selectsNothing()) {
      return CatalogFilter.FALSE;
    }
    CatalogFilter c = times(f, marginSeconds);
    GeoBox box = f.box();
    if (box == null) {
      return c;
    }
    double marginLat = PhotonPruning.marginLatitude(marginMeters);
    if (box.south() > Double.NEGATIVE_INFINITY) {
      c = c.and(isNull("lat_max").or(ge("lat_max", box.south() - marginLat)));
    }
    if (box.north() < Double.POSITIVE_INFINITY) {
      c = c.and(isNull("lat_min").or(le("lat_min", box.north() + marginLat)));
    }
    return c.and(longitudes(box, marginMeters, marginLat));
  }

  /**
   * The box's longitudes, widened by the margin in degrees of longitude, which grows with latitude: for each of a few
   * latitude caps, windows lying within the cap must meet the box widened by the margin at the cap; windows reaching
   * beyond the last cap (near a pole), or of unknown position, are kept.
   */
  private static CatalogFilter longitudes(GeoBox box, double marginMeters, double marginLat) {
    if (box.west() <= -180 && box.east() >= 180) {
      return CatalogFilter.TRUE;
    }
    // the box's own latitudes (plus a degree) first: at low latitudes the tightest cap
    List<Double> caps = new java.util.ArrayList<>();
    double boxReach = Math.max(Math.abs(box.south()), Math.abs(box.north())) + marginLat + LATITUDE_REACH;
    if (boxReach < LATITUDE_CAPS.get(0)) {
      caps.add(boxReach);
    }
    caps.addAll(LATITUDE_CAPS);
    CatalogFilter any = isNull("lat_min");
    double last = Double.NaN;
    for (double cap : caps) {
      double marginLon = PhotonPruning.marginLongitude(marginMeters, cap + marginLat);
      if (!(cap + marginLat < 90) || Double.isInfinite(marginLon)) {
        break;
      }
      double west = box.west() - marginLon;
      double east = box.east() + marginLon;
      if (west < -180 || east > 180) {
        break; // the widened box wraps: not worth a predicate
      }
      CatalogFilter meets = box.crossesAntimeridian()
          ? ge("lon_max", west).or(le("lon_min", east))
          : ge("lon_max", west).and(le("lon_min", east));
      any = any.or(le("lat_max", cap).and(ge("lat_min", -cap)).and(meets));
      last = cap;
    }
    if (Double.isNaN(last)) {
      return CatalogFilter.TRUE;
    }
    return any.or(gt("lat_max", last)).or(lt("lat_min", -last));
  }

  private static CatalogFilter times(PhotonFilter f, double marginSeconds) {
    CatalogFilter c = CatalogFilter.TRUE;
    if (f.minDeltaTime() > Double.NEGATIVE_INFINITY) {
      c = c.and(isNull("delta_time_max").or(ge("delta_time_max", f.minDeltaTime() - marginSeconds)));
    }
    if (f.maxDeltaTime() < Double.POSITIVE_INFINITY) {
      c = c.and(isNull("delta_time_min").or(le("delta_time_min", f.maxDeltaTime() + marginSeconds)));
    }
    return c;
  }

  /** Equality and IN on a per-beam column, as the same on the rows (NULL never equals); the rest is TRUE. */
  private static CatalogFilter perBeam(Filter conjunct) {
    if (conjunct instanceof EqualTo eq && eq.value() != null) {
      return CatalogFilter.eq(eq.attribute(), eq.value());
    }
    if (conjunct instanceof In in && Arrays.stream(in.values()).allMatch(v -> v != null) && in.values().length > 0) {
      return CatalogFilter.in(in.attribute(), in.values());
    }
    return CatalogFilter.TRUE;
  }

  /** The predicate as a Spark column, for Delta's own data skipping when Spark reads the catalog. */
  static Column column(CatalogFilter f) {
    if (f instanceof CatalogFilter.Constant c) {
      return lit(c.value());
    }
    if (f instanceof CatalogFilter.And a) {
      return a.parts().stream().map(CatalogPredicate::column).reduce(Column::and).orElse(lit(true));
    }
    if (f instanceof CatalogFilter.Or o) {
      return o.parts().stream().map(CatalogPredicate::column).reduce(Column::or).orElse(lit(false));
    }
    if (f instanceof CatalogFilter.IsNull n) {
      return col(n.column()).isNull();
    }
    if (f instanceof CatalogFilter.In in) {
      return col(in.column()).isin(in.values().toArray());
    }
    CatalogFilter.Compare c = (CatalogFilter.Compare) f;
    Column column = col(c.column());
    Object v = c.value();
    return switch (c.op()) {
      case EQ -> column.equalTo(lit(v));
      case NE -> column.notEqual(lit(v));
      case LT -> column.lt(v);
      case LE -> column.leq(v);
      case GT -> column.gt(v);
      case GE -> column.geq(v);
    };
  }
}
