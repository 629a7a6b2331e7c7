package org.atl03.datasource.spark.atl03;

import org.apache.spark.sql.sources.AlwaysFalse;
import org.apache.spark.sql.sources.AlwaysTrue;
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

/**
 * The values a filter can take on the rows of one beam, in Spark's three-valued logic: a subset of {TRUE, FALSE,
 * NULL}. Comparisons of a per-beam column ({@link BeamFacts}) with a literal of the column's type are decided
 * exactly, with Spark's semantics (strings ordered as UTF-8 bytes, NULL propagation, IN with a NULL); anything
 * else — a photon column, an unknown operator, a literal of another type — can be any of the three. NOT, AND and
 * OR combine the sets value by value, so a beam is skipped only when no row of it can make the filter TRUE.
 */
final class FilterTruth {

  static final int TRUE = 1;
  static final int FALSE = 2;
  static final int NULL = 4;
  static final int ANY = TRUE | FALSE | NULL;

  private FilterTruth() {}

  /** The possible values of {@code filter} on the rows of {@code beam}, as a set of TRUE, FALSE and NULL bits. */
  static int of(Filter filter, BeamFacts beam) {
    if (filter instanceof And and) {
      return and(of(and.left(), beam), of(and.right(), beam));
    }
    if (filter instanceof Or or) {
      return or(of(or.left(), beam), of(or.right(), beam));
    }
    if (filter instanceof Not not) {
      return not(of(not.child(), beam));
    }
    if (filter instanceof AlwaysTrue) {
      return TRUE;
    }
    if (filter instanceof AlwaysFalse) {
      return FALSE;
    }
    String[] references = filter.references();
    if (references.length != 1 || !BeamFacts.isPerBeam(references[0])) {
      return ANY;
    }
    String column = references[0];
    return leaf(filter, column, beam.value(column));
  }

  /**
   * Whether {@code filter} takes exactly one value (TRUE, FALSE or NULL) on all rows of any beam: per-beam columns
   * compared with literals of their type, combined by AND, OR and NOT. Choosing beams by such a filter
   * ({@link PushedFilters#selectsBeam}) is the filter itself, so Spark need not run it again. Exactness depends on
   * the operators, columns and literal types, never on a beam's values, so a beam of sample values shows it.
   */
  static boolean decidedPerBeam(Filter filter) {
    if (filter instanceof And and) {
      return decidedPerBeam(and.left()) && decidedPerBeam(and.right());
    }
    if (filter instanceof Or or) {
      return decidedPerBeam(or.left()) && decidedPerBeam(or.right());
    }
    if (filter instanceof Not not) {
      return decidedPerBeam(not.child());
    }
    if (filter instanceof AlwaysTrue || filter instanceof AlwaysFalse) {
      return true;
    }
    String[] references = filter.references();
    if (references.length != 1 || !BeamFacts.isPerBeam(references[0])) {
      return false;
    }
    return Integer.bitCount(leaf(filter, references[0], SAMPLE.value(references[0]))) == 1;
  }

  /** A beam with a value of each per-beam column's type (see {@link #ofColumnType}). */
  private static final BeamFacts SAMPLE = new BeamFacts("", "", "", 0, 0, 0);

  static boolean canBeTrue(int truth) {
    return (truth & TRUE) != 0;
  }

  static boolean canBeFalse(int truth) {
    return (truth & FALSE) != 0;
  }

  static int not(int a) {
    return (a & NULL) | ((a & TRUE) != 0 ? FALSE : 0) | ((a & FALSE) != 0 ? TRUE : 0);
  }

  static int and(int a, int b) {
    int out = 0;
    for (int x : values(a)) {
      for (int y : values(b)) {
        out |= x == FALSE || y == FALSE ? FALSE : x == NULL || y == NULL ? NULL : TRUE;
      }
    }
    return out;
  }

  static int or(int a, int b) {
    return not(and(not(a), not(b)));
  }

  private static int[] values(int set) {
    int[] out = new int[Integer.bitCount(set)];
    int i = 0;
    for (int v : new int[] {TRUE, FALSE, NULL}) {
      if ((set & v) != 0) {
        out[i++] = v;
      }
    }
    return out;
  }

  /** One comparison of a per-beam column, whose value in the beam is {@code value} (null: SQL NULL). */
  private static int leaf(Filter filter, String column, Object value) {
    if (filter instanceof IsNull) {
      return value == null ? TRUE : FALSE;
    }
    if (filter instanceof IsNotNull) {
      return value == null ? FALSE : TRUE;
    }
    if (filter instanceof EqualNullSafe f) {
      if (!ofColumnType(column, f.value())) {
        return ANY;
      }
      return value == null || f.value() == null
          ? (value == f.value() ? TRUE : FALSE)
          : (compare(value, f.value()) == 0 ? TRUE : FALSE);
    }
    if (filter instanceof In in) {
      boolean sawNull = false;
      for (Object listed : in.values()) {
        if (!ofColumnType(column, listed)) {
          return ANY;
        }
        sawNull |= listed == null;
      }
      if (in.values().length == 0) {
        return ANY; // Spark's optimizer folds an empty IN itself; no need to second-guess it here
      }
      if (value == null) {
        return NULL;
      }
      for (Object listed : in.values()) {
        if (listed != null && compare(value, listed) == 0) {
          return TRUE;
        }
      }
      return sawNull ? NULL : FALSE;
    }
    Object literal;
    if (filter instanceof EqualTo f) literal = f.value();
    else if (filter instanceof GreaterThan f) literal = f.value();
    else if (filter instanceof GreaterThanOrEqual f) literal = f.value();
    else if (filter instanceof LessThan f) literal = f.value();
    else if (filter instanceof LessThanOrEqual f) literal = f.value();
    else if (filter instanceof StringStartsWith f) literal = f.value();
    else if (filter instanceof StringEndsWith f) literal = f.value();
    else if (filter instanceof StringContains f) literal = f.value();
    else return ANY;
    if (!ofColumnType(column, literal)) {
      return ANY;
    }
    if (value == null || literal == null) {
      return NULL;
    }
    boolean result;
    if (filter instanceof StringStartsWith) {
      result = utf8(value).startsWith(utf8(literal));
    } else if (filter instanceof StringEndsWith) {
      result = utf8(value).endsWith(utf8(literal));
    } else if (filter instanceof StringContains) {
      result = utf8(value).contains(utf8(literal));
    } else {
      int c = compare(value, literal);
      result = filter instanceof EqualTo ? c == 0
          : filter instanceof GreaterThan ? c > 0
          : filter instanceof GreaterThanOrEqual ? c >= 0
          : filter instanceof LessThan ? c < 0
          : c <= 0;
    }
    return result ? TRUE : FALSE;
  }

  /** Whether a literal (or NULL) has the Java type Spark hands for the column's SQL type. */
  private static boolean ofColumnType(String column, Object literal) {
    if (literal == null) {
      return true;
    }
    return switch (column) {
      case Atl03Columns.RGT, Atl03Columns.CYCLE -> literal instanceof Integer;
      default -> literal instanceof String;
    };
  }

  private static int compare(Object value, Object literal) {
    if (value instanceof Integer a && literal instanceof Integer b) {
      return Integer.compare(a, b);
    }
    return utf8(value).compareTo(utf8(literal)); // Spark orders strings by their UTF-8 bytes
  }

  private static UTF8String utf8(Object s) {
    return UTF8String.fromString((String) s);
  }
}
