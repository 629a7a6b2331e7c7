package org.atl03.datasource.spark.atl03;

/**
 * What every row of one beam of one granule shares, known at planning before a byte of photon data is read: the
 * values of the source's per-beam columns, and the granule's epoch that turns {@code delta_time} into {@code time}.
 * A filter on these columns is decided exactly per beam ({@link FilterTruth}).
 */
record BeamFacts(String granule, String beam, String beamStrength, Integer rgt, Integer cycle, double sdpGpsEpoch) {

  /** The value of a per-beam column in every row of the beam (null is SQL NULL), or {@link #NOT_PER_BEAM}. */
  Object value(String column) {
    return switch (column) {
      case Atl03Columns.GRANULE -> granule;
      case Atl03Columns.BEAM -> beam;
      case Atl03Columns.BEAM_STRENGTH -> beamStrength;
      case Atl03Columns.RGT -> rgt;
      case Atl03Columns.CYCLE -> cycle;
      default -> NOT_PER_BEAM;
    };
  }

  static boolean isPerBeam(String column) {
    return switch (column) {
      case Atl03Columns.GRANULE, Atl03Columns.BEAM, Atl03Columns.BEAM_STRENGTH, Atl03Columns.RGT,
          Atl03Columns.CYCLE -> true;
      default -> false;
    };
  }

  /** Marks a column whose value differs from photon to photon. */
  static final Object NOT_PER_BEAM = new Object();
}
