package org.atl03.datasource.spark.atl03;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.Filter;
import org.atl03.datasource.atl03.PhotonFilter;

/**
 * What the scan can skip of Spark's filters, decided per beam at planning. Pure: it only reads the filters.
 *
 * <p>Pushdown only ever skips work, and skips only what is proven to hold no matching row: a beam whose per-beam
 * columns make some conjunct never TRUE ({@link FilterTruth}), and photons outside the region every conjunct
 * confines them to ({@link PhotonRegion}). Both translate an operator only where that is exact for its direction,
 * NaN, NULL, NOT, the literal's type and the granule's epoch; anything else is left entirely to Spark. Spark runs
 * every filter again after the scan ({@link #postScan}), except those the choice of beams decides exactly: on a
 * beam's rows they are all TRUE or none is, so the rows of the beams kept pass them all.
 */
record PushedFilters(List<Filter> used) {

  static PushedFilters of(Filter[] filters) {
    List<Filter> conjuncts = new ArrayList<>();
    for (Filter filter : filters) {
      split(filter, conjuncts);
    }
    return new PushedFilters(conjuncts.stream().filter(PushedFilters::prunes).toList());
  }

  /** The filters Spark must still run after the scan: all but those on per-beam columns that beams decide. */
  static Filter[] postScan(Filter[] filters) {
    return Arrays.stream(filters).filter(f -> !FilterTruth.decidedPerBeam(f)).toArray(Filter[]::new);
  }

  /** Whether a row of this beam can pass every conjunct. */
  boolean selectsBeam(BeamFacts beam) {
    for (Filter conjunct : used) {
      if (!FilterTruth.canBeTrue(FilterTruth.of(conjunct, beam))) {
        return false;
      }
    }
    return true;
  }

  /** The box and delta_time window holding every photon of this beam that can pass every conjunct. */
  PhotonFilter photons(BeamFacts beam) {
    PhotonRegion region = PhotonRegion.ALL;
    for (Filter conjunct : used) {
      region = region.intersect(PhotonRegion.whereTrue(conjunct, beam));
    }
    return region.toPhotonFilter();
  }

  private static void split(Filter filter, List<Filter> out) {
    if (filter instanceof And and) {
      split(and.left(), out);
      split(and.right(), out);
    } else {
      out.add(filter);
    }
  }

  /** A conjunct on a column pruning knows of: shown as pushed, and analysed per beam; the rest only Spark runs. */
  private static boolean prunes(Filter filter) {
    return Arrays.stream(filter.references()).anyMatch(c -> BeamFacts.isPerBeam(c) || PRUNED_PHOTON_COLUMNS.contains(c));
  }

  private static final List<String> PRUNED_PHOTON_COLUMNS =
      List.of(Atl03Columns.LAT, Atl03Columns.LON, Atl03Columns.DELTA_TIME, Atl03Columns.TIME);
}
