package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.catalyst.util.SQLOrderingUtil;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.unsafe.types.UTF8String;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.GeoBox;
import org.atl03.datasource.atl03.PhotonFilter;
import org.junit.jupiter.api.Test;

/**
 * The pure translation of Spark's filters into what planning skips: named cases for each operator and column,
 * the three bugs it once had, and a seeded property test over random filter trees checked against an evaluator of
 * Spark's semantics written here (NaN above every number, -0.0 = 0.0, NULL propagation, UTF-8 string order).
 */
class PushedFiltersTest {

  private static final double STANDARD_EPOCH = AtlasSdpTime.ATLAS_SDP_GPS_EPOCH;
  private static final BeamFacts GT1L_STRONG = facts("gt1l", "strong", 235, 1, STANDARD_EPOCH);
  private static final BeamFacts GT2R_WEAK = facts("gt2r", "weak", 235, 1, STANDARD_EPOCH);
  private static final BeamFacts NO_ORBIT = facts("gt1l", "weak", null, null, STANDARD_EPOCH);

  private static BeamFacts facts(String beam, String strength, Integer rgt, Integer cycle, double epoch) {
    return new BeamFacts("ATL03_20181014002445_02350104_006_02.h5", beam, strength, rgt, cycle, epoch);
  }

  private static PushedFilters pushed(Filter... filters) {
    return PushedFilters.of(filters);
  }

  @Test
  void latLonComparisonsBecomeABox() {
    PushedFilters pushed = pushed(new GreaterThanOrEqual("lat_ph", 87.29), new LessThan("lat_ph", 87.3),
        new And(new GreaterThan("lon_ph", 100.0), new LessThanOrEqual("lon_ph", 120.0)), new IsNotNull("h_ph"));

    assertThat(pushed.photons(GT1L_STRONG).box()).isEqualTo(new GeoBox(100, 87.29, 120, 87.3));
    assertThat(pushed.used()).hasSize(4); // the AND is split into its conjuncts
  }

  @Test
  void anOrOfLongitudesIsABoxAcrossTheAntimeridianAndSoIsItsNegation() {
    Filter across = new Or(new GreaterThanOrEqual("lon_ph", 170.0), new LessThanOrEqual("lon_ph", -170.0));
    GeoBox box = pushed(across, new GreaterThan("lat_ph", -30.0), new LessThan("lat_ph", -10.0))
        .photons(GT1L_STRONG).box();
    assertThat(box).isEqualTo(new GeoBox(170, -30, -170, -10));
    assertThat(box.crossesAntimeridian()).isTrue();
    // NOT (lon_ph > -170 AND lon_ph < 170): the same rows
    Filter negated = new Not(new And(new GreaterThan("lon_ph", -170.0), new LessThan("lon_ph", 170.0)));
    assertThat(pushed(negated).photons(GT1L_STRONG).box()).isEqualTo(
        new GeoBox(170, Double.NEGATIVE_INFINITY, -170, Double.POSITIVE_INFINITY));
  }

  @Test
  void timeAndDeltaTimeNarrowTheSameWindowWithinTheConversionsSlack() {
    PhotonFilter photons = pushed(
        new GreaterThanOrEqual("time", Timestamp.from(Instant.parse("2018-01-01T00:01:40Z"))),
        new LessThan("delta_time", 200.0)).photons(GT1L_STRONG);

    assertThat(photons.minDeltaTime()).isBetween(100.0 - 2e-3, 100.0);
    assertThat(photons.maxDeltaTime()).isEqualTo(200.0);
    assertThat(photons.box()).isNull();
  }

  @Test
  void aTimeFilterIsConvertedWithTheGranulesOwnEpoch() {
    Filter after = new GreaterThanOrEqual("time", Instant.parse("2018-01-01T00:01:40Z"));
    double shifted = STANDARD_EPOCH - 86_400; // a granule whose delta_time counts from a day earlier
    PhotonFilter photons = pushed(after).photons(facts("gt1l", "strong", 1, 1, shifted));
    assertThat(photons.minDeltaTime()).isBetween(86_500.0 - 2e-3, 86_500.0);
    long micros = AtlasSdpTime.toUnixMicros(86_500.0, shifted); // what the reader gives as that photon's time
    assertThat(Instant.EPOCH.plusNanos(micros * 1000)).isEqualTo(Instant.parse("2018-01-01T00:01:40Z"));
  }

  @Test
  void rangeComparisonsOnBeamAndStrengthAreDecidedPerBeamNotTakenAsEquality() {
    // the bug: beam < 'gt2' was pushed as beam = 'gt2', and every beam was skipped
    assertThat(pushed(new LessThan("beam", "gt2")).selectsBeam(GT1L_STRONG)).isTrue();
    assertThat(pushed(new LessThan("beam", "gt2")).selectsBeam(GT2R_WEAK)).isFalse();
    assertThat(pushed(new GreaterThanOrEqual("beam_strength", "strong")).selectsBeam(GT1L_STRONG)).isTrue();
    assertThat(pushed(new GreaterThanOrEqual("beam_strength", "strong")).selectsBeam(GT2R_WEAK)).isTrue();
    assertThat(pushed(new Not(new LessThanOrEqual("beam_strength", "strong"))).selectsBeam(GT1L_STRONG)).isFalse();
    assertThat(pushed(new Not(new LessThanOrEqual("beam_strength", "strong"))).selectsBeam(GT2R_WEAK)).isTrue();
    assertThat(pushed(new GreaterThanOrEqual("beam", "gt2l")).selectsBeam(GT2R_WEAK)).isTrue();
    assertThat(pushed(new GreaterThanOrEqual("beam", "gt2l")).selectsBeam(GT1L_STRONG)).isFalse();
  }

  @Test
  void beamsStrengthAndStringOperatorsPruneBeams() {
    PushedFilters pushed = pushed(new In("beam", new Object[] {"gt1l", "gt2r", "gt3l"}),
        new EqualTo("beam_strength", "strong"));
    assertThat(pushed.selectsBeam(GT1L_STRONG)).isTrue();
    assertThat(pushed.selectsBeam(GT2R_WEAK)).isFalse();
    assertThat(pushed.selectsBeam(facts("gt1r", "strong", 1, 1, STANDARD_EPOCH))).isFalse();
    assertThat(pushed(new StringStartsWith("beam", "gt1")).selectsBeam(GT2R_WEAK)).isFalse();
    assertThat(pushed(new StringEndsWith("beam", "r")).selectsBeam(GT2R_WEAK)).isTrue();
    assertThat(pushed(new StringContains("granule", "_0235")).selectsBeam(GT2R_WEAK)).isTrue();
    assertThat(pushed(new EqualTo("beam", "GT1L")).selectsBeam(GT1L_STRONG)).isFalse(); // = is case-sensitive
  }

  @Test
  void nullsFollowSqlThreeValuedLogic() {
    // rgt is NULL on NASA's subsets: rgt = 1, rgt <> 1 and NOT (rgt = 1) are all NULL, never TRUE
    assertThat(pushed(new EqualTo("rgt", 1)).selectsBeam(NO_ORBIT)).isFalse();
    assertThat(pushed(new Not(new EqualTo("rgt", 1))).selectsBeam(NO_ORBIT)).isFalse();
    assertThat(pushed(new IsNull("rgt")).selectsBeam(NO_ORBIT)).isTrue();
    assertThat(pushed(new EqualNullSafe("cycle", null)).selectsBeam(NO_ORBIT)).isTrue();
    assertThat(pushed(new EqualNullSafe("cycle", null)).selectsBeam(GT1L_STRONG)).isFalse();
    // x IN (1, NULL) is NULL, not FALSE, when x is not 1: NOT of it is NULL too
    assertThat(pushed(new Not(new In("rgt", new Object[] {1, null}))).selectsBeam(GT1L_STRONG)).isFalse();
    // NULL OR TRUE is TRUE
    assertThat(pushed(new Or(new EqualTo("rgt", 7), new EqualTo("beam", "gt1l"))).selectsBeam(NO_ORBIT)).isTrue();
  }

  @Test
  void aNanBoundConstrainsNothingInsteadOfFailing() {
    // Spark sorts NaN above every number: lat_ph < NaN holds for every photon, lon_ph >= NaN for none
    PushedFilters pushed = pushed(new GreaterThan("lat_ph", 0.0), new LessThan("lat_ph", Double.NaN));
    assertThat(pushed.photons(GT1L_STRONG).box()).isEqualTo(
        new GeoBox(-180, 0, 180, Double.POSITIVE_INFINITY));
    assertThat(pushed(new Or(new GreaterThanOrEqual("lon_ph", Double.NaN), new LessThanOrEqual("lon_ph", 100.0)))
        .photons(GT1L_STRONG).selectsEverything()).isTrue();
    assertThat(pushed(new EqualTo("delta_time", Double.NaN)).photons(GT1L_STRONG).selectsEverything()).isTrue();
  }

  @Test
  void literalsOfAnotherTypeAndUnknownColumnsAreLeftToSpark() {
    assertThat(pushed(new GreaterThan("lat_ph", 10)).photons(GT1L_STRONG).selectsEverything()).isTrue();
    assertThat(pushed(new EqualTo("rgt", 235L)).selectsBeam(GT2R_WEAK)).isTrue();
    assertThat(pushed(new EqualTo("rgt", "0235")).selectsBeam(GT2R_WEAK)).isTrue();
    assertThat(pushed(new GreaterThan("time", 5.0)).photons(GT1L_STRONG).selectsEverything()).isTrue();
    PushedFilters unknown = pushed(new GreaterThan("h_ph", 100f), new IsNotNull("quality_ph"));
    assertThat(unknown.used()).isEmpty();
    assertThat(unknown.photons(GT1L_STRONG).selectsEverything()).isTrue();
    // an unknown leaf inside an OR makes the OR unknown; inside an AND the known side still prunes
    assertThat(pushed(new Or(new GreaterThan("lat_ph", 80.0), new GreaterThan("h_ph", 1f)))
        .photons(GT1L_STRONG).selectsEverything()).isTrue();
    assertThat(pushed(new And(new GreaterThan("lat_ph", 80.0), new GreaterThan("h_ph", 1f)))
        .photons(GT1L_STRONG).box().south()).isEqualTo(80.0);
  }

  @Test
  void contradictionsSelectNothingAndABeamLeafInAnOrWidensOnlyItsOwnBeam() {
    assertThat(pushed(new GreaterThan("lat_ph", 10.0), new LessThan("lat_ph", 5.0)).photons(GT1L_STRONG)
        .selectsNothing()).isTrue();
    assertThat(pushed(new EqualTo("beam", "gt1l"), new EqualTo("beam", "gt2l")).selectsBeam(GT1L_STRONG)).isFalse();
    Filter either = new Or(new EqualTo("beam", "gt1l"), new GreaterThan("lat_ph", 80.0));
    assertThat(pushed(either).photons(GT1L_STRONG).selectsEverything()).isTrue();
    assertThat(pushed(either).photons(GT2R_WEAK).box().south()).isEqualTo(80.0);
  }

  // ---- every operator on every column, with every literal of a pool: never prunes a row the filter keeps ----

  private static final String[] OPERATORS = {"=", "<=>", ">", ">=", "<", "<=", "IN", "IS NULL", "IS NOT NULL",
    "STARTS WITH", "ENDS WITH", "CONTAINS"};

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> operatorsByColumn() {
    List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
    for (String column : COLUMNS) {
      for (String operator : OPERATORS) {
        boolean stringOperator = operator.contains("WITH") || operator.equals("CONTAINS");
        if (!stringOperator || List.of("beam", "beam_strength", "granule").contains(column)) {
          out.add(org.junit.jupiter.params.provider.Arguments.of(column, operator));
        }
      }
    }
    return out.stream();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
  @org.junit.jupiter.params.provider.MethodSource("operatorsByColumn")
  void eachOperatorOnEachColumnIsExactAndThoseTranslatedPrune(String column, String operator) {
    List<BeamFacts> beams = List.of(GT1L_STRONG, GT2R_WEAK, NO_ORBIT,
        facts("gt3r", "unknown", 7, 22, STANDARD_EPOCH - 3_600.5));
    boolean pruned = false;
    for (Object literal : literalPool(column)) {
      Filter leaf = leaf(operator, column, literal);
      for (Filter filter : List.of(leaf, new Not(leaf))) {
        PushedFilters pushed = pushed(filter);
        for (BeamFacts beam : beams) {
          PhotonFilter photons = pushed.photons(beam);
          pruned |= !pushed.selectsBeam(beam) || !photons.selectsEverything();
          for (double lat : LATS) {
            for (double lon : LONS) {
              for (double deltaTime : DELTA_TIMES) {
                if (Boolean.TRUE.equals(eval(filter, beam, lat, lon, deltaTime))) {
                  String where = filter + " on " + beam.beam() + " at " + lat + ", " + lon + ", " + deltaTime;
                  assertThat(pushed.selectsBeam(beam)).as("beam skipped: %s", where).isTrue();
                  assertThat(photons.box() == null || photons.box().contains(lon, lat)).as("outside %s: %s",
                      photons.box(), where).isTrue();
                  assertThat(deltaTime >= photons.minDeltaTime() && deltaTime <= photons.maxDeltaTime())
                      .as("outside the time window of %s: %s", photons, where).isTrue();
                }
              }
            }
          }
        }
      }
    }
    // what is translated prunes for some literal; anything else (h_ph, or NULL tests of non-null columns) never does
    boolean translated = !column.equals("h_ph")
        && !(operator.startsWith("IS") && List.of("lat_ph", "lon_ph", "delta_time", "time").contains(column));
    assertThat(pruned).as("pruned by some literal: %s %s", column, operator).isEqualTo(translated);
  }

  private static List<Object> literalPool(String column) {
    List<Object> pool = new ArrayList<>();
    pool.add(null);
    switch (column) {
      case "lat_ph", "lon_ph", "delta_time" -> {
        for (double v : column.equals("lat_ph") ? LATS : column.equals("lon_ph") ? LONS : DELTA_TIMES) {
          pool.add(v);
          pool.add(v + 0.25);
        }
        pool.addAll(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 10));
      }
      case "time" -> {
        for (double deltaTime : DELTA_TIMES) {
          long micros = AtlasSdpTime.toUnixMicros(deltaTime, STANDARD_EPOCH);
          pool.add(Instant.EPOCH.plusNanos(micros * 1000));
          pool.add(Timestamp.from(Instant.EPOCH.plusNanos((micros - 1) * 1000)));
          pool.add(Instant.EPOCH.plusNanos((micros + 3_600_500_000L) * 1000)); // the other granule's epoch
        }
        pool.add(5.0);
      }
      case "rgt", "cycle" -> pool.addAll(List.of(1, 7, 22, 235, 235L, "235"));
      case "h_ph" -> pool.addAll(List.of(0.5f, -1f, Float.NaN));
      default -> pool.addAll(List.of(BEAMS));
    }
    return pool;
  }

  private static Filter leaf(String operator, String column, Object literal) {
    return switch (operator) {
      case "=" -> new EqualTo(column, literal);
      case "<=>" -> new EqualNullSafe(column, literal);
      case ">" -> new GreaterThan(column, literal);
      case ">=" -> new GreaterThanOrEqual(column, literal);
      case "<" -> new LessThan(column, literal);
      case "<=" -> new LessThanOrEqual(column, literal);
      case "IN" -> new In(column, new Object[] {literal, literalPool(column).get(1)});
      case "IS NULL" -> new IsNull(column);
      case "IS NOT NULL" -> new IsNotNull(column);
      case "STARTS WITH" -> new StringStartsWith(column, (String) literal);
      case "ENDS WITH" -> new StringEndsWith(column, (String) literal);
      default -> new StringContains(column, (String) literal);
    };
  }

  // ---- the property: no row on which a random filter is TRUE is ever pruned ----

  @Test
  void noRowOnWhichARandomFilterIsTrueIsEverPruned() {
    Random random = new Random(20261206);
    List<BeamFacts> beams = List.of(GT1L_STRONG, GT2R_WEAK, NO_ORBIT,
        facts("gt3r", "unknown", 7, 22, STANDARD_EPOCH - 3_600.5));
    int cases = 4_000;
    int rowsTrue = 0;
    int pruning = 0;
    for (int c = 0; c < cases; c++) {
      Filter filter = randomFilter(random, 3);
      PushedFilters pushed = pushed(filter);
      for (BeamFacts beam : beams) {
        PhotonFilter photons = pushed.photons(beam);
        boolean beamSelected = pushed.selectsBeam(beam);
        pruning += !beamSelected || !photons.selectsEverything() ? 1 : 0;
        for (int r = 0; r < 60; r++) {
          double lat = pick(random, LATS);
          double lon = pick(random, LONS);
          double deltaTime = pick(random, DELTA_TIMES);
          if (Boolean.TRUE.equals(eval(filter, beam, lat, lon, deltaTime))) {
            rowsTrue++;
            String where = filter + " on " + beam + " at lat " + lat + " lon " + lon + " delta_time " + deltaTime;
            assertThat(beamSelected).as("beam skipped: %s", where).isTrue();
            assertThat(photons.selectsNothing()).as("nothing selected: %s", where).isFalse();
            if (photons.box() != null) {
              assertThat(photons.box().contains(lon, lat)).as("outside %s: %s", photons.box(), where).isTrue();
            }
            // primitive comparisons, as the pruning makes them: -0.0 and 0.0 are one time
            assertThat(deltaTime >= photons.minDeltaTime() && deltaTime <= photons.maxDeltaTime())
                .as("outside the time window of %s: %s", photons, where).isTrue();
          }
        }
      }
    }
    // the test checks something only if filters are true on rows and pruning happens
    assertThat(rowsTrue).isGreaterThan(cases * 10);
    assertThat(pruning).isGreaterThan(cases);
  }

  /**
   * A filter Spark no longer runs after the scan ({@link PushedFilters#postScan}) is decided by the beams kept: on a
   * kept beam it is TRUE on every row, on a skipped beam on none.
   */
  @Test
  void aFilterLeftOutOfSparksPostScanFiltersIsExactlyTheBeamsKept() {
    Random random = new Random(20261207);
    List<BeamFacts> beams = List.of(GT1L_STRONG, GT2R_WEAK, NO_ORBIT,
        facts("gt3r", "unknown", 7, 22, STANDARD_EPOCH - 3_600.5), facts("gt2", "", 235, 22, STANDARD_EPOCH));
    int decided = 0;
    int kept = 0;
    int skipped = 0;
    for (int c = 0; c < 6_000; c++) {
      Filter filter = randomFilter(random, random.nextInt(3));
      if (PushedFilters.postScan(new Filter[] {filter}).length == 1) {
        continue; // Spark runs it again: any pruning of it is checked by the property above
      }
      decided++;
      PushedFilters pushed = pushed(filter);
      for (BeamFacts beam : beams) {
        boolean selected = pushed.selectsBeam(beam);
        kept += selected ? 1 : 0;
        skipped += selected ? 0 : 1;
        for (int r = 0; r < 8; r++) {
          double lat = pick(random, LATS);
          double lon = pick(random, LONS);
          double deltaTime = pick(random, DELTA_TIMES);
          assertThat(Boolean.TRUE.equals(eval(filter, beam, lat, lon, deltaTime)))
              .as("%s on %s at lat %s lon %s delta_time %s", filter, beam, lat, lon, deltaTime).isEqualTo(selected);
        }
      }
    }
    assertThat(decided).isGreaterThan(1_000);
    assertThat(kept).isGreaterThan(1_000);
    assertThat(skipped).isGreaterThan(1_000);
  }

  @Test
  void onlyFiltersOnPerBeamColumnsWithLiteralsOfTheirTypeLeaveSparksPostScanFilters() {
    Filter beam = new EqualTo("beam", "gt1l");
    Filter strong = new Not(new In("beam_strength", new Object[] {"weak", null}));
    Filter rgtLong = new EqualTo("rgt", 235L); // Spark would cast the column: left to Spark
    Filter orWithLat = new Or(new EqualTo("beam", "gt1l"), new GreaterThan("lat_ph", 10.0));
    Filter emptyIn = new In("beam", new Object[0]);
    assertThat(PushedFilters.postScan(new Filter[] {beam, strong, new And(new EqualTo("cycle", 1), beam), rgtLong,
        orWithLat, emptyIn, new LessThan("lat_ph", 5.0)}))
        .containsExactly(rgtLong, orWithLat, emptyIn, new LessThan("lat_ph", 5.0));
  }

  private static final double[] LATS = {-90, -45.5, -0.0, 0.0, 10, 41.53, 87.3, 90};
  private static final double[] LONS = {-180, -179.9, -106.57, -0.0, 0.0, 95, 170, 179.9, 180};
  private static final double[] DELTA_TIMES = {0, 2.5e7, 2.5e7 + 1e-6, 2.5e7 + 0.001, 2.5e7 + 1, 9.5e7};
  private static final String[] BEAMS = {"gt1l", "gt1r", "gt2", "gt2l", "gt3r", "GT1L", "strong", "weak", "str", ""};
  private static final String[] COLUMNS =
      {"lat_ph", "lon_ph", "delta_time", "time", "beam", "beam_strength", "granule", "rgt", "cycle", "h_ph"};

  private static Filter randomFilter(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 7 : 4);
    return switch (kind) {
      case 4 -> new And(randomFilter(random, depth - 1), randomFilter(random, depth - 1));
      case 5 -> new Or(randomFilter(random, depth - 1), randomFilter(random, depth - 1));
      case 6 -> new Not(randomFilter(random, depth - 1));
      default -> randomLeaf(random);
    };
  }

  private static Filter randomLeaf(Random random) {
    String column = COLUMNS[random.nextInt(COLUMNS.length)];
    Object literal = randomLiteral(random, column);
    return switch (random.nextInt(12)) {
      case 0 -> new EqualTo(column, literal);
      case 1 -> new EqualNullSafe(column, literal);
      case 2 -> new GreaterThan(column, literal);
      case 3 -> new GreaterThanOrEqual(column, literal);
      case 4 -> new LessThan(column, literal);
      case 5 -> new LessThanOrEqual(column, literal);
      case 6 -> new In(column, new Object[] {literal, randomLiteral(random, column), randomLiteral(random, column)});
      case 7 -> new IsNull(column);
      case 8 -> new IsNotNull(column);
      case 9 -> literal instanceof String s ? new StringStartsWith(column, s) : new EqualTo(column, literal);
      case 10 -> literal instanceof String s ? new StringEndsWith(column, s) : new LessThan(column, literal);
      default -> literal instanceof String s ? new StringContains(column, s) : new GreaterThan(column, literal);
    };
  }

  private static Object randomLiteral(Random random, String column) {
    if (random.nextInt(20) == 0) {
      return null;
    }
    return switch (column) {
      case "lat_ph" -> random.nextInt(6) == 0 ? special(random) : pick(random, LATS) + (random.nextBoolean() ? 0 : 0.5);
      case "lon_ph" -> random.nextInt(6) == 0 ? special(random) : pick(random, LONS) + (random.nextBoolean() ? 0 : -0.5);
      case "delta_time" -> random.nextInt(6) == 0 ? special(random) : pick(random, DELTA_TIMES);
      case "time" -> {
        long micros = AtlasSdpTime.toUnixMicros(pick(random, DELTA_TIMES), STANDARD_EPOCH)
            + (random.nextBoolean() ? 0 : random.nextInt(2_000_001) - 1_000_000);
        Instant instant = Instant.EPOCH.plusNanos(micros * 1000);
        yield random.nextBoolean() ? instant : Timestamp.from(instant);
      }
      case "rgt", "cycle" -> random.nextInt(8) == 0 ? (Object) 235L : pick(random, new int[] {1, 7, 22, 235});
      case "h_ph" -> (float) random.nextGaussian();
      default -> BEAMS[random.nextInt(BEAMS.length)];
    };
  }

  private static double special(Random random) {
    return new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e300}[
        random.nextInt(5)];
  }

  private static double pick(Random random, double[] values) {
    return values[random.nextInt(values.length)];
  }

  private static int pick(Random random, int[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Spark's value of a filter on one row: TRUE, FALSE or null (SQL NULL). Written apart from the code tested. */
  private static Boolean eval(Filter f, BeamFacts beam, double lat, double lon, double deltaTime) {
    if (f instanceof And a) {
      Boolean l = eval(a.left(), beam, lat, lon, deltaTime);
      Boolean r = eval(a.right(), beam, lat, lon, deltaTime);
      return Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r) ? Boolean.FALSE : l == null || r == null ? null : true;
    }
    if (f instanceof Or o) {
      Boolean l = eval(o.left(), beam, lat, lon, deltaTime);
      Boolean r = eval(o.right(), beam, lat, lon, deltaTime);
      return Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r) ? Boolean.TRUE : l == null || r == null ? null : false;
    }
    if (f instanceof Not n) {
      Boolean c = eval(n.child(), beam, lat, lon, deltaTime);
      return c == null ? null : !c;
    }
    String column = f.references()[0];
    Object value = switch (column) {
      case "lat_ph" -> lat;
      case "lon_ph" -> lon;
      case "delta_time" -> deltaTime;
      case "time" -> AtlasSdpTime.toUnixMicros(deltaTime, beam.sdpGpsEpoch());
      case "h_ph" -> 0.5f;
      default -> beam.value(column);
    };
    if (f instanceof IsNull) return value == null;
    if (f instanceof IsNotNull) return value != null;
    if (f instanceof In in) {
      if (value == null) return null;
      boolean sawNull = false;
      for (Object listed : in.values()) {
        if (listed == null) {
          sawNull = true;
        } else if (compare(value, listed) == 0) {
          return true;
        }
      }
      return sawNull ? null : false;
    }
    if (f instanceof EqualNullSafe e) {
      return value == null || e.value() == null ? value == e.value() : compare(value, e.value()) == 0;
    }
    Object literal = f instanceof EqualTo e ? e.value() : f instanceof GreaterThan g ? g.value()
        : f instanceof GreaterThanOrEqual g ? g.value() : f instanceof LessThan l ? l.value()
        : f instanceof LessThanOrEqual l ? l.value() : f instanceof StringStartsWith s ? s.value()
        : f instanceof StringEndsWith s ? s.value() : ((StringContains) f).value();
    if (value == null || literal == null) return null;
    if (f instanceof StringStartsWith) return ((String) value).startsWith((String) literal);
    if (f instanceof StringEndsWith) return ((String) value).endsWith((String) literal);
    if (f instanceof StringContains) return ((String) value).contains((String) literal);
    int c = compare(value, literal);
    return f instanceof EqualTo ? c == 0 : f instanceof GreaterThan ? c > 0 : f instanceof GreaterThanOrEqual
        ? c >= 0 : f instanceof LessThan ? c < 0 : c <= 0;
  }

  /** Spark's order of a column value and a literal; a literal of another type is cast as Spark would. */
  private static int compare(Object value, Object literal) {
    if (value instanceof Double d) {
      return SQLOrderingUtil.compareDoubles(d, ((Number) literal).doubleValue());
    }
    if (value instanceof Float f) {
      return SQLOrderingUtil.compareFloats(f, ((Number) literal).floatValue());
    }
    if (value instanceof Long micros) {
      long other = literal instanceof Number n ? (long) (n.doubleValue() * 1e6) : DateTimeUtils.anyToMicros(literal);
      return Long.compare(micros, other);
    }
    if (value instanceof Integer i) {
      return literal instanceof String s ? UTF8String.fromString(i.toString()).compareTo(UTF8String.fromString(s))
          : Long.compare(i, ((Number) literal).longValue());
    }
    return UTF8String.fromString((String) value).compareTo(UTF8String.fromString((String) literal));
  }
}
