package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.PhotonFilter;
import org.atl03.datasource.atl03.catalog.CatalogFilter;
import org.atl03.datasource.delta.ColumnStatistics;
import org.atl03.datasource.atl03.catalog.WindowBounds;
import org.atl03.datasource.spark.SparkTestSupport;
import org.atl03.datasource.spark.catalog.CatalogTable;
import org.atl03.datasource.spark.catalog.SparkTableRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The predicate the catalog is queried with keeps every window the exact per-window check keeps, on seeded random
 * windows (antimeridian, poles, unknown bounds, another epoch) and random pushed filters (AND, OR, NOT, IN, time);
 * and it does skip windows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogPredicateTest {

  private static final StructType ROWS = new StructType()
      .add("id", DataTypes.IntegerType).add("kind", DataTypes.StringType)
      .add("lat_min", DataTypes.DoubleType).add("lat_max", DataTypes.DoubleType)
      .add("lon_min", DataTypes.DoubleType).add("lon_max", DataTypes.DoubleType)
      .add("lon_west", DataTypes.DoubleType).add("lon_east", DataTypes.DoubleType)
      .add("delta_time_min", DataTypes.DoubleType).add("delta_time_max", DataTypes.DoubleType)
      .add("sdp_gps_epoch", DataTypes.DoubleType).add("granule", DataTypes.StringType)
      .add("beam", DataTypes.StringType).add("beam_strength", DataTypes.StringType)
      .add("rgt", DataTypes.IntegerType).add("cycle", DataTypes.IntegerType);
  private static final List<String> BEAMS = List.of("gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r");

  private static final long QUERIES = 300;

  private SparkSession spark;
  private List<Row> windows;
  private Dataset<Row> table;

  @BeforeAll
  void start() {
    spark = SparkTestSupport.localSpark();
    Random random = new Random(7);
    windows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      windows.add(randomWindow(i, random));
    }
    table = spark.createDataFrame(windows, ROWS).cache();
    windows = table.collectAsList(); // rows with their schema
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  @Test
  void thePredicateKeepsEveryWindowTheExactCheckKeeps() {
    Random random = new Random(20261207);
    long skipped = 0;
    long groupsSkipped = 0;
    List<Row> clustered = new ArrayList<>(windows);
    clustered.sort(Comparator.comparing((Row w) -> w.<Double>getAs("lat_min"),
        Comparator.nullsFirst(Comparator.naturalOrder())));
    for (int q = 0; q < QUERIES; q++) {
      List<Filter> filters = new ArrayList<>();
      for (int k = 0; k < 1 + random.nextInt(3); k++) {
        filters.add(randomFilter(random, 2, windows.get(random.nextInt(windows.size()))));
      }
      PushedFilters pushed = PushedFilters.of(filters.toArray(new Filter[0]));
      double marginMeters = random.nextBoolean() ? 200 : random.nextDouble() * 3000;
      double marginSeconds = random.nextDouble();
      CatalogFilter predicate = CatalogPredicate.of(pushed.used(), marginMeters, marginSeconds);
      Column column = CatalogPredicate.column(predicate);
      // Delta skips files only on columns it keeps statistics of: a column missing there would make a conjunct
      // skip nothing (the answers stay right; the catalog's files are all read)
      assertThat(CatalogTable.STATISTICS_COLUMNS).as("query %d %s", q, filters)
          .containsAll(references(column.expr())).containsAll(predicate.columns());
      Set<Integer> kept = new HashSet<>();
      for (Row r : table.filter(column).select("id").collectAsList()) {
        kept.add(r.getInt(0));
      }
      for (Row w : windows) {
        // the driver's exact evaluation is Spark's
        assertThat(predicate.matches(new SparkTableRow(w))).as("query %d %s: window %s", q, filters, w)
            .isEqualTo(kept.contains(w.getInt(0)));
        if (exactlyKept(w, pushed, marginMeters, marginSeconds)) {
          assertThat(kept).as("query %d %s: window %s", q, filters, w).contains(w.getInt(0));
        }
      }
      // statistics of a group of windows (a file's, a row group's: neighbours in a layout clustered by latitude)
      // rule it out only when no window there matches
      for (int g = 0; g < 40; g++) {
        int size = 1 + random.nextInt(60);
        int from = random.nextInt(clustered.size() - size);
        List<Row> group = clustered.subList(from, from + size);
        boolean anyKept = group.stream().anyMatch(w -> kept.contains(w.getInt(0)));
        ColumnStatistics stats = statistics(group, random.nextInt(4) == 0 ? 4 : 0, random.nextInt(4) == 0);
        if (anyKept) {
          assertThat(predicate.mayMatch(stats)).as("query %d %s: windows %d..%d", q, filters, from, from + size)
              .isTrue();
        } else if (!predicate.mayMatch(stats)) {
          groupsSkipped++;
        }
      }
      skipped += windows.size() - kept.size();
    }
    assertThat(skipped).isGreaterThan(QUERIES * windows.size() / 4);
    assertThat(groupsSkipped).isGreaterThan(QUERIES * 40 / 10);
  }

  /**
   * The statistics of some windows as a file or row group keeps them; with {@code prefix} > 0, strings of that many
   * characters or more kept as prefixes (as Delta keeps them; the max even without the character Delta appends);
   * null counts unknown if asked.
   */
  private static ColumnStatistics statistics(List<Row> rows, int prefix, boolean nullsUnknown) {
    return column -> {
      Object min = null;
      Object max = null;
      long nulls = 0;
      for (Row r : rows) {
        Object v = new SparkTableRow(r).value(column);
        if (v == null) {
          nulls++;
          continue;
        }
        if (min == null || CatalogFilter.Values.compare(v, min) < 0) {
          min = v;
        }
        if (max == null || CatalogFilter.Values.compare(v, max) > 0) {
          max = v;
        }
      }
      if (prefix > 0 && min instanceof String lo && lo.length() >= prefix) {
        min = lo.substring(0, prefix);
      }
      if (prefix > 0 && max instanceof String hi && hi.length() >= prefix) {
        max = hi.substring(0, prefix);
      }
      return new ColumnStatistics.Stat(min, max, nullsUnknown ? -1 : nulls, rows.size(), prefix);
    };
  }

  private static Set<String> references(Expression e) {
    Set<String> names = new HashSet<>();
    if (e instanceof UnresolvedAttribute a) {
      names.add(a.name());
    }
    scala.collection.Iterator<Expression> children = e.children().iterator();
    while (children.hasNext()) {
      names.addAll(references(children.next()));
    }
    return names;
  }

  private static boolean exactlyKept(Row w, PushedFilters pushed, double marginMeters, double marginSeconds) {
    BeamFacts facts = new BeamFacts(w.getAs("granule"), w.getAs("beam"), w.getAs("beam_strength"), w.getAs("rgt"),
        w.getAs("cycle"), w.<Double>getAs("sdp_gps_epoch"));
    if (!pushed.selectsBeam(facts)) {
      return false;
    }
    PhotonFilter filter = pushed.photons(facts);
    if (filter.selectsNothing()) {
      return false;
    }
    WindowBounds bounds = new WindowBounds(nan(w.getAs("lat_min")), nan(w.getAs("lat_max")),
        nan(w.getAs("lon_west")), nan(w.getAs("lon_east")), nan(w.getAs("delta_time_min")),
        nan(w.getAs("delta_time_max")));
    return filter.selectsEverything() || bounds.mayHold(filter, marginMeters, marginSeconds);
  }

  private static double nan(Double d) {
    return d == null ? Double.NaN : d;
  }

  private static Row randomWindow(int id, Random random) {
    boolean known = random.nextInt(20) != 0;
    double lat = random.nextInt(5) == 0 ? (random.nextBoolean() ? 1 : -1) * (85 + random.nextDouble() * 5)
        : random.nextDouble() * 170 - 85;
    double latSpan = random.nextDouble() * (random.nextBoolean() ? 0.05 : 2);
    double latMin = Math.max(-90, lat - latSpan);
    double latMax = Math.min(90, lat + latSpan);
    double west = random.nextInt(5) == 0 ? 179 + random.nextDouble() : random.nextDouble() * 360 - 180;
    double east = west + random.nextDouble() * (random.nextBoolean() ? 0.1 : 5);
    if (east >= 180) {
      east -= 360;
    }
    if (west >= 180) {
      west -= 360;
    }
    boolean crossing = west > east;
    boolean timeKnown = random.nextInt(20) != 0;
    double t = 3e7 + random.nextDouble() * 2e8;
    double epoch = random.nextInt(10) == 0 ? AtlasSdpTime.ATLAS_SDP_GPS_EPOCH - 86_400.25
        : AtlasSdpTime.ATLAS_SDP_GPS_EPOCH;
    return RowFactory.create(id, "window",
        known ? latMin : null, known ? latMax : null,
        known ? (crossing ? -180.0 : west) : null, known ? (crossing ? 180.0 : east) : null,
        known ? west : null, known ? east : null,
        timeKnown ? t : null, timeKnown ? t + random.nextDouble() * 100 : null, epoch,
        "G" + random.nextInt(5), BEAMS.get(random.nextInt(6)), random.nextBoolean() ? "strong" : "weak",
        random.nextInt(10) == 0 ? null : random.nextInt(5), random.nextInt(3));
  }

  /** A filter whose literals lie near a window's bounds (within a few margins), where a predicate can go wrong. */
  private static Filter randomFilter(Random random, int depth, Row near) {
    int kind = random.nextInt(depth > 0 ? 12 : 9);
    return switch (kind) {
      case 0, 1 -> compare("lat_ph", nearBound(random, near, "lat_min", "lat_max", 0.005, 90), random);
      case 2, 3 -> compare("lon_ph", nearBound(random, near, "lon_west", "lon_east", 0.05, 180), random);
      case 4 -> compare("delta_time", nearBound(random, near, "delta_time_min", "delta_time_max", 1, 3e8), random);
      case 5 -> compare("time", timestamp(nearBound(random, near, "delta_time_min", "delta_time_max", 1, 3e8)),
          random);
      case 6 -> new In("beam", new Object[] {BEAMS.get(random.nextInt(6)), BEAMS.get(random.nextInt(6))});
      case 7 -> new EqualTo("rgt", random.nextInt(5));
      case 8 -> new EqualTo("beam_strength", random.nextBoolean() ? "strong" : "weak");
      case 9 -> new Or(randomFilter(random, depth - 1, near), randomFilter(random, depth - 1, near));
      case 10 -> new Not(randomFilter(random, depth - 1, near));
      default -> new And(randomFilter(random, depth - 1, near), randomFilter(random, depth - 1, near));
    };
  }

  /** One of the row's two bounds moved by up to {@code spread} either way (or any value when it has none). */
  private static double nearBound(Random random, Row row, String low, String high, double spread, double limit) {
    Double bound = row.getAs(random.nextBoolean() ? low : high);
    if (bound == null) {
      return (random.nextDouble() * 2 - 1) * limit;
    }
    double v = bound + (random.nextDouble() * 2 - 1) * spread;
    return Math.max(-limit, Math.min(limit, v));
  }

  private static Filter compare(String column, Object value, Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> new GreaterThan(column, value);
      case 1 -> new GreaterThanOrEqual(column, value);
      case 2 -> new LessThan(column, value);
      case 3 -> new LessThanOrEqual(column, value);
      default -> new EqualTo(column, value);
    };
  }

  private static Timestamp timestamp(double deltaTime) {
    long micros = AtlasSdpTime.toUnixMicros(deltaTime);
    Timestamp t = new Timestamp(Math.floorDiv(micros, 1000));
    t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
    return t;
  }
}
