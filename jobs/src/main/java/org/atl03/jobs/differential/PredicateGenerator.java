package org.atl03.jobs.differential;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.atl03.jobs.differential.ColumnCatalog.Col;
import org.atl03.jobs.differential.ColumnCatalog.Kind;

/**
 * Random SQL predicates over a table's columns, from a seed: the grammar Spark can hand a DataSource V2 scan
 * (comparisons both ways round, BETWEEN, IN with and without NULL, IS [NOT] NULL, <=>, LIKE and string
 * prefixes, AND/OR/NOT nests) and what it can't (functions of columns, the photon SQL functions, Sedona's
 * point-in-polygon tests, array elements). Values come from the table's own samples and extremes, their
 * neighbouring doubles, NaN, infinities, -0.0 and NULL; boxes of every size from a millimetre to a hemisphere,
 * boxes across the antimeridian as an OR; timestamps as literals in the session's zone, with offsets, from
 * microseconds and with interval arithmetic.
 */
final class PredicateGenerator {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
  private static final DateTimeFormatter OFFSET =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT);
  private static final String[] SURFACES = {"land", "ocean", "sea_ice", "land_ice", "inland_water", "dynamic"};
  private static final String[] CONFIDENCES = {"noise", "buffer", "low", "medium", "high", "2", "4"};

  private final ColumnCatalog catalog;
  private final Random random;
  private final ZoneId zone;

  PredicateGenerator(ColumnCatalog catalog, Random random, ZoneId zone) {
    this.catalog = catalog;
    this.random = random;
    this.zone = zone;
  }

  String predicate() {
    return node(random.nextInt(4));
  }

  private String node(int depth) {
    if (depth == 0 || random.nextInt(100) < 35) {
      return leaf();
    }
    int r = random.nextInt(100);
    if (r < 45) {
      return "(" + node(depth - 1) + " AND " + node(depth - 1) + ")";
    }
    if (r < 80) {
      return "(" + node(depth - 1) + " OR " + node(depth - 1) + ")";
    }
    return "NOT (" + node(depth - 1) + ")";
  }

  private String leaf() {
    List<Supplier<String>> kinds = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    add(kinds, weights, 30, this::comparison);
    add(kinds, weights, 6, this::between);
    add(kinds, weights, 6, this::in);
    add(kinds, weights, 3, this::nullTest);
    if (catalog.lon() != null) {
      add(kinds, weights, 18, this::box);
      add(kinds, weights, 6, this::acrossAntimeridian);
      add(kinds, weights, 6, this::polygon);
    }
    if (!catalog.ofKind(Kind.STRING).isEmpty()) {
      add(kinds, weights, 14, this::string);
    }
    if (!catalog.ofKind(Kind.TIMESTAMP).isEmpty()) {
      add(kinds, weights, 12, this::time);
    }
    if (catalog.column("delta_time") != null || catalog.column("signal_conf_ph") != null) {
      add(kinds, weights, 6, this::function);
    }
    int total = weights.stream().mapToInt(Integer::intValue).sum();
    int pick = random.nextInt(total);
    for (int i = 0; i < kinds.size(); i++) {
      pick -= weights.get(i);
      if (pick < 0) {
        return kinds.get(i).get();
      }
    }
    throw new AssertionError();
  }

  private static void add(List<Supplier<String>> kinds, List<Integer> weights, int weight, Supplier<String> kind) {
    kinds.add(kind);
    weights.add(weight);
  }

  // ---- leaves ----

  private String comparison() {
    Col c = orderable();
    String op = pick("=", "<>", "!=", "<", "<=", ">", ">=", "<=>");
    String literal = literal(c);
    return random.nextInt(4) == 0 ? literal + " " + flip(op) + " " + c.name() : c.name() + " " + op + " " + literal;
  }

  private String between() {
    Col c = orderable();
    return c.name() + (random.nextInt(4) == 0 ? " NOT" : "") + " BETWEEN " + literal(c) + " AND " + literal(c);
  }

  private String in() {
    Col c = orderable();
    List<String> values = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      values.add(literal(c));
    }
    if (random.nextInt(5) == 0) {
      values.add("NULL");
    }
    return c.name() + (random.nextInt(4) == 0 ? " NOT" : "") + " IN (" + String.join(", ", values) + ")";
  }

  private String nullTest() {
    Col c = catalog.columns().get(random.nextInt(catalog.columns().size()));
    return switch (random.nextInt(4)) {
      case 0 -> c.name() + " IS NULL";
      case 1 -> c.name() + " IS NOT NULL";
      case 2 -> c.name() + " <=> NULL";
      default -> "isnotnull(" + c.name() + ")";
    };
  }

  /** lat/lon bounds around a photon, a millimetre to a hemisphere across, some sides open or strict. */
  private String box() {
    double[] centre = point();
    double halfLat = Math.pow(10, -8 + 10 * random.nextDouble());
    double halfLon = halfLat * Math.pow(10, random.nextDouble() * 2 - 0.5);
    String lat = catalog.lat();
    String lon = catalog.lon();
    List<String> sides = new ArrayList<>();
    if (random.nextInt(6) != 0) sides.add(lat + pick(" >= ", " > ") + number(centre[1] - halfLat));
    if (random.nextInt(6) != 0) sides.add(lat + pick(" <= ", " < ") + number(centre[1] + halfLat));
    if (random.nextInt(6) != 0) sides.add(lon + pick(" >= ", " > ") + number(centre[0] - halfLon));
    if (random.nextInt(6) != 0) sides.add(lon + pick(" <= ", " < ") + number(centre[0] + halfLon));
    if (sides.isEmpty() || random.nextInt(5) == 0) {
      return lat + " BETWEEN " + number(centre[1] - halfLat) + " AND " + number(centre[1] + halfLat) + " AND "
          + lon + " BETWEEN " + number(centre[0] - halfLon) + " AND " + number(centre[0] + halfLon);
    }
    return "(" + String.join(" AND ", sides) + ")";
  }

  /** A longitude range across 180°: an OR of two comparisons, or the NOT of the range between. */
  private String acrossAntimeridian() {
    double east = random.nextBoolean() ? Math.abs(point()[0]) : 180 * random.nextDouble();
    double west = -(random.nextBoolean() ? Math.abs(point()[0]) : 180 * random.nextDouble());
    String lon = catalog.lon();
    return switch (random.nextInt(3)) {
      case 0 -> "(" + lon + pick(" >= ", " > ") + number(east) + " OR " + lon + pick(" <= ", " < ") + number(west) + ")";
      case 1 -> "NOT (" + lon + " > " + number(west) + " AND " + lon + " < " + number(east) + ")";
      default -> "(" + lon + " >= " + number(east) + " OR " + lon + " <= " + number(west) + ") AND " + catalog.lat()
          + " >= " + number(point()[1] - random.nextDouble());
    };
  }

  /** A Sedona point-in-polygon test of a quadrilateral around a photon. */
  private String polygon() {
    double[] centre = point();
    double size = Math.pow(10, -6 + 7.5 * random.nextDouble());
    StringBuilder wkt = new StringBuilder("POLYGON ((");
    double[][] corners = new double[4][];
    for (int i = 0; i < 4; i++) {
      double angle = Math.PI / 2 * i + random.nextDouble();
      double r = size * (0.3 + random.nextDouble());
      corners[i] = new double[] {centre[0] + r * Math.cos(angle), centre[1] + r * Math.sin(angle)};
    }
    for (double[] corner : corners) {
      wkt.append(corner[0]).append(' ').append(corner[1]).append(", ");
    }
    wkt.append(corners[0][0]).append(' ').append(corners[0][1]).append("))");
    String shape = "ST_GeomFromWKT('" + wkt + "')";
    String point = catalog.geometry() != null && random.nextBoolean() ? catalog.geometry()
        : pick("ST_Point(", "ST_MakePoint(") + catalog.lon() + ", " + catalog.lat() + ")";
    String test = switch (random.nextInt(6)) {
      case 0 -> "ST_Contains(" + shape + ", " + point + ")";
      case 1 -> "ST_Covers(" + shape + ", " + point + ")";
      case 2 -> "ST_Within(" + point + ", " + shape + ")";
      case 3 -> "ST_CoveredBy(" + point + ", " + shape + ")";
      case 4 -> "ST_Intersects(" + shape + ", " + point + ")";
      default -> "ST_Intersects(" + point + ", " + shape + ")";
    };
    return random.nextInt(5) == 0 ? "NOT " + test : test;
  }

  private String string() {
    Col c = pick(catalog.ofKind(Kind.STRING));
    String value = stringValue(c);
    return switch (random.nextInt(10)) {
      case 0, 1 -> c.name() + " " + pick("=", "<>", "<", "<=", ">", ">=", "<=>") + " " + quote(value);
      case 2 -> quote(value) + " " + pick("=", "<", ">=") + " " + c.name();
      case 3 -> c.name() + " IN (" + quote(value) + ", " + quote(stringValue(c)) + (random.nextBoolean() ? ", NULL" : "")
          + ")";
      case 4 -> c.name() + pick(" LIKE ", " NOT LIKE ") + quote(pattern(value));
      case 5 -> pick("startswith(", "endswith(", "contains(") + c.name() + ", " + quote(part(value)) + ")";
      case 6 -> c.name() + " = " + pick("upper(", "lower(", "trim(") + quote(value) + ")";
      case 7 -> pick("lower(", "upper(") + c.name() + ") = " + quote(value.toLowerCase(Locale.ROOT));
      case 8 -> c.name() + " BETWEEN " + quote(value) + " AND " + quote(stringValue(c));
      default -> "length(" + c.name() + ") " + pick("=", ">") + " " + value.length();
    };
  }

  private String time() {
    Col c = pick(catalog.ofKind(Kind.TIMESTAMP));
    return switch (random.nextInt(4)) {
      case 0 -> c.name() + " BETWEEN " + timestamp(c) + " AND " + timestamp(c);
      case 1 -> timestamp(c) + " " + pick("<", "<=", ">", ">=", "=") + " " + c.name();
      default -> c.name() + " " + pick("=", "<>", "<", "<=", ">", ">=", "<=>") + " " + timestamp(c);
    };
  }

  /** The photon SQL functions, array elements and functions of columns: never pushed, or folded into literals. */
  private String function() {
    Col time = catalog.column("time");
    Col deltaTime = catalog.column("delta_time");
    boolean signal = catalog.column("signal_conf_ph") != null;
    boolean quality = catalog.column("quality_ph") != null;
    List<Supplier<String>> options = new ArrayList<>();
    if (deltaTime != null) {
      options.add(() -> "atl03_time(delta_time) " + pick("<", ">=", "=") + " " + timestampOf(micros(deltaTime)));
      options.add(() -> "delta_time " + pick("<", ">=", ">") + " atl03_delta_time(" + timestampOf(micros(deltaTime))
          + ")");
      options.add(() -> "delta_time + " + number(random.nextDouble()) + " > " + literal(deltaTime));
    }
    if (time != null) {
      options.add(() -> "unix_micros(time) " + pick("<", ">=") + " " + pickSample(time));
    }
    if (signal) {
      options.add(() -> "atl03_is_signal(signal_conf_ph, '" + pick(SURFACES) + "', '" + pick(CONFIDENCES) + "')");
      options.add(() -> "atl03_signal(signal_conf_ph, '" + pick(SURFACES) + "') " + pick(">=", "<", "=") + " "
          + (random.nextInt(7) - 2));
      options.add(() -> "signal_conf_ph[" + random.nextInt(5) + "] " + pick(">=", "=", "<") + " "
          + (random.nextInt(7) - 2));
      options.add(() -> "array_contains(signal_conf_ph, CAST(" + (random.nextInt(7) - 2) + " AS TINYINT))");
    }
    if (quality) {
      options.add(() -> "atl03_quality_ok(quality_ph)");
    }
    if (options.isEmpty()) {
      return comparison();
    }
    return pick(options).get();
  }

  // ---- values ----

  private Col orderable() {
    List<Col> cols = catalog.ofKind(Kind.DOUBLE, Kind.FLOAT, Kind.INT, Kind.LONG, Kind.BYTE, Kind.STRING,
        Kind.TIMESTAMP);
    return pick(cols);
  }

  /** A literal of the column's type, rendered in one of the ways SQL allows. */
  private String literal(Col c) {
    if (random.nextInt(30) == 0) {
      return "NULL";
    }
    return switch (c.kind()) {
      case DOUBLE -> number(doubleValue(c));
      case FLOAT -> random.nextBoolean() ? "CAST('" + (float) doubleValue(c) + "' AS FLOAT)" : number(doubleValue(c));
      case INT, BYTE -> {
        long v = (long) Math.rint(doubleValue(c));
        yield Double.isFinite(doubleValue(c)) ? (c.kind() == Kind.BYTE && random.nextBoolean()
            ? "CAST(" + Math.max(-128, Math.min(127, v)) + " AS TINYINT)" : Long.toString(v)) : "0";
      }
      case LONG -> {
        double d = doubleValue(c);
        yield Double.isFinite(d) ? (long) d + (random.nextBoolean() ? "L" : "") : "0L";
      }
      case STRING -> quote(stringValue(c));
      case TIMESTAMP -> timestamp(c);
      case BYTE_ARRAY -> "NULL";
    };
  }

  /** A value near the column's: a sample, its neighbour, an offset, a random point in range, or a special. */
  private double doubleValue(Col c) {
    List<Double> numbers = c.samples().stream().filter(v -> v instanceof Number).map(v -> ((Number) v).doubleValue())
        .toList();
    if (numbers.isEmpty() || random.nextInt(12) == 0) {
      return pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1.0, 235.0, 1e300);
    }
    double v = pick(numbers);
    double min = numbers.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = numbers.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return switch (random.nextInt(6)) {
      case 0, 1 -> v;
      case 2 -> random.nextBoolean() ? Math.nextUp(v) : Math.nextDown(v);
      case 3 -> v + (random.nextBoolean() ? 1 : -1) * Math.max(Math.abs(max - min), 1e-9) * Math.pow(10,
          -7 * random.nextDouble());
      case 4 -> min + (max - min) * random.nextDouble();
      default -> random.nextBoolean() ? min : max;
    };
  }

  private String number(double v) {
    if (Double.isNaN(v)) {
      return pick("double('NaN')", "CAST('NaN' AS DOUBLE)");
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? pick("double('Infinity')", "CAST('Infinity' AS DOUBLE)")
          : pick("-double('Infinity')", "CAST('-Infinity' AS DOUBLE)");
    }
    double abs = Math.abs(v);
    return switch (random.nextInt(3)) {
      case 0 -> "CAST('" + v + "' AS DOUBLE)";
      case 1 -> (abs == 0 || (abs > 1e-6 && abs < 1e12)) ? BigDecimal.valueOf(v).toPlainString() + "D" : v + "D";
      default -> (abs > 1e-6 && abs < 1e12) ? BigDecimal.valueOf(v).toPlainString() : v + "D";
    };
  }

  private long micros(Col c) {
    List<Object> samples = c.samples();
    if (c.kind() == Kind.TIMESTAMP) {
      return samples.isEmpty() ? 1_539_476_736_000_000L : (Long) pick(samples);
    }
    double deltaTime = samples.isEmpty() ? 2.5e7 : ((Number) pick(samples)).doubleValue();
    return org.atl03.datasource.atl03.AtlasSdpTime.toUnixMicros(deltaTime);
  }

  /** A timestamp near the column's values: a photon's exact time or one offset by 1 µs to a day. */
  private String timestamp(Col c) {
    long micros = micros(c);
    if (random.nextInt(3) != 0) {
      long[] offsets = {1, 1_000, 1_000_000, 3_600_000_000L, 86_400_000_000L};
      micros += (random.nextBoolean() ? 1 : -1) * offsets[random.nextInt(offsets.length)];
    }
    return timestampOf(micros);
  }

  private String timestampOf(long micros) {
    Instant instant = Instant.EPOCH.plusNanos(micros * 1000);
    return switch (random.nextInt(8)) {
      case 0, 1 -> "TIMESTAMP '" + LOCAL.format(instant.atZone(zone)) + "'";
      case 2 -> "TIMESTAMP '" + OFFSET.format(instant.atZone(ZoneOffset.ofHoursMinutes(5, 30))) + "'";
      case 3 -> "timestamp_micros(" + micros + ")";
      case 4 -> "CAST('" + OFFSET.format(instant.atOffset(ZoneOffset.UTC)) + "' AS TIMESTAMP)";
      case 5 -> "to_timestamp('" + LOCAL.format(instant.atZone(zone)) + "')";
      case 6 -> "TIMESTAMP '" + LOCAL.format(instant.minusSeconds(1).atZone(zone)) + "' + INTERVAL 1 SECOND";
      default -> "timestamp_seconds(" + BigDecimal.valueOf(micros).movePointLeft(6).toPlainString() + ")";
    };
  }

  private String pickSample(Col c) {
    return c.samples().isEmpty() ? "0" : pick(c.samples()).toString();
  }

  private String stringValue(Col c) {
    String v = c.samples().isEmpty() ? "" : (String) pick(c.samples());
    return switch (random.nextInt(8)) {
      case 0 -> v.toUpperCase(Locale.ROOT);
      case 1 -> v.isEmpty() ? v : v.substring(0, random.nextInt(v.length()));
      case 2 -> v + pick(" ", "a", "z", "~", "\u00e9");
      case 3 -> pick("gt1l", "gt1r", "gt2", "gt2l", "gt2r", "gt3", "gt3r", "strong", "weak", "unknown", "", "s");
      default -> v;
    };
  }

  private String pattern(String value) {
    String p = part(value).replace("%", "\\%").replace("_", "\\_");
    return switch (random.nextInt(4)) {
      case 0 -> p + "%";
      case 1 -> "%" + p;
      case 2 -> "%" + p + "%";
      default -> p.isEmpty() ? "_%" : p.charAt(0) + "_" + (p.length() > 2 ? p.substring(2) : "") + "%";
    };
  }

  private String part(String value) {
    if (value.isEmpty()) {
      return value;
    }
    int from = random.nextInt(value.length());
    return value.substring(from, from + 1 + random.nextInt(value.length() - from));
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A photon's lon/lat, or a point anywhere. */
  private double[] point() {
    if (catalog.points().isEmpty() || random.nextInt(10) == 0) {
      return new double[] {360 * random.nextDouble() - 180, 180 * random.nextDouble() - 90};
    }
    return pick(catalog.points());
  }

  private static String flip(String op) {
    return switch (op) {
      case "<" -> ">";
      case "<=" -> ">=";
      case ">" -> "<";
      case ">=" -> "<=";
      default -> op;
    };
  }

  @SafeVarargs
  private <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
