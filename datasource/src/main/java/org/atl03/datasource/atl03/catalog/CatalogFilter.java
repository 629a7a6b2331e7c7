package org.atl03.datasource.atl03.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.atl03.datasource.delta.ColumnStatistics;
import org.atl03.datasource.delta.TableRow;

/**
 * A predicate on the catalog's rows, in the few forms planning states them (AND, OR, IS NULL, comparisons and IN of
 * a column with a literal): evaluated exactly on a row ({@link #matches}, SQL's semantics: a comparison with NULL
 * does not hold), and conservatively on the statistics of a file or a row group ({@link #mayMatch}: false only when
 * no row there can match). The Spark layer renders the same predicate for Delta's own data skipping.
 */
public sealed interface CatalogFilter {

  CatalogFilter TRUE = new Constant(true);
  CatalogFilter FALSE = new Constant(false);

  /** Whether the row satisfies the predicate. */
  boolean matches(TableRow row);

  /** Whether rows described by {@code stats} may satisfy it. */
  boolean mayMatch(ColumnStatistics stats);

  /** The columns the predicate reads. */
  default Set<String> columns() {
    Set<String> columns = new TreeSet<>();
    addColumns(this, columns);
    return columns;
  }

  default CatalogFilter and(CatalogFilter other) {
    return new And(List.of(this, other));
  }

  default CatalogFilter or(CatalogFilter other) {
    return new Or(List.of(this, other));
  }

  static CatalogFilter isNull(String column) {
    return new IsNull(column);
  }

  static CatalogFilter eq(String column, Object value) {
    return new Compare(column, Op.EQ, value);
  }

  static CatalogFilter ne(String column, Object value) {
    return new Compare(column, Op.NE, value);
  }

  static CatalogFilter lt(String column, Object value) {
    return new Compare(column, Op.LT, value);
  }

  static CatalogFilter le(String column, Object value) {
    return new Compare(column, Op.LE, value);
  }

  static CatalogFilter gt(String column, Object value) {
    return new Compare(column, Op.GT, value);
  }

  static CatalogFilter ge(String column, Object value) {
    return new Compare(column, Op.GE, value);
  }

  static CatalogFilter in(String column, Object... values) {
    return new In(column, List.copyOf(Arrays.asList(values)));
  }

  private static void addColumns(CatalogFilter f, Set<String> out) {
    if (f instanceof And a) {
      a.parts().forEach(p -> addColumns(p, out));
    } else if (f instanceof Or o) {
      o.parts().forEach(p -> addColumns(p, out));
    } else if (f instanceof IsNull n) {
      out.add(n.column());
    } else if (f instanceof Compare c) {
      out.add(c.column());
    } else if (f instanceof In i) {
      out.add(i.column());
    }
  }

  enum Op { EQ, NE, LT, LE, GT, GE }

  record Constant(boolean value) implements CatalogFilter {
    @Override
    public boolean matches(TableRow row) {
      return value;
    }

    @Override
    public boolean mayMatch(ColumnStatistics stats) {
      return value;
    }
  }

  record And(List<CatalogFilter> parts) implements CatalogFilter {
    @Override
    public boolean matches(TableRow row) {
      return parts.stream().allMatch(p -> p.matches(row));
    }

    @Override
    public boolean mayMatch(ColumnStatistics stats) {
      return parts.stream().allMatch(p -> p.mayMatch(stats));
    }
  }

  record Or(List<CatalogFilter> parts) implements CatalogFilter {
    @Override
    public boolean matches(TableRow row) {
      return parts.stream().anyMatch(p -> p.matches(row));
    }

    @Override
    public boolean mayMatch(ColumnStatistics stats) {
      return parts.stream().anyMatch(p -> p.mayMatch(stats));
    }
  }

  record IsNull(String column) implements CatalogFilter {
    @Override
    public boolean matches(TableRow row) {
      return row.isNull(column);
    }

    @Override
    public boolean mayMatch(ColumnStatistics stats) {
      return stats.of(column).nullCount() != 0;
    }
  }

  record Compare(String column, Op op, Object value) implements CatalogFilter {
    public Compare {
      if (value == null) {
        throw new IllegalArgumentException("a comparison of " + column + " with NULL");
      }
    }

    @Override
    public boolean matches(TableRow row) {
      Object v = row.value(column);
      if (v == null) {
        return false;
      }
      int c = Values.compare(v, value);
      return switch (op) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
      };
    }

    @Override
    public boolean mayMatch(ColumnStatistics stats) {
      ColumnStatistics.Stat s = stats.of(column);
      if (s.allNull()) {
        return false;
      }
      return switch (op) {
        case EQ -> Values.minAtMost(s, value, true) && Values.maxAtLeast(s, value, true);
        case NE -> !Values.onlyValue(s, value);
        case LT -> Values.minAtMost(s, value, false);
        case LE -> Values.minAtMost(s, value, true);
        case GT -> Values.maxAtLeast(s, value, false);
        case GE -> Values.maxAtLeast(s, value, true);
      };
    }
  }

  record In(String column, List<Object> values) implements CatalogFilter {
    @Override
    public boolean matches(TableRow row) {
      Object v = row.value(column);
      return v != null && values.stream().anyMatch(x -> x != null && Values.compare(v, x) == 0);
    }

    @Override
    public boolean mayMatch(ColumnStatistics stats) {
      return values.stream().anyMatch(x -> x != null && new Compare(column, Op.EQ, x).mayMatch(stats));
    }
  }

  /** Comparing the values rows and statistics hold: numbers as numbers, strings by code point (UTF-8's order). */
  final class Values {
    private Values() {}

    public static int compare(Object a, Object b) {
      if (a instanceof Number x && b instanceof Number y) {
        double dx = x.doubleValue() + 0.0; // -0.0 equals 0.0, as in SQL
        double dy = y.doubleValue() + 0.0;
        return Double.compare(dx, dy);
      }
      if (a instanceof String x && b instanceof String y) {
        return compareStrings(x, y);
      }
      if (a instanceof Boolean x && b instanceof Boolean y) {
        return Boolean.compare(x, y);
      }
      throw new IllegalArgumentException("cannot compare " + a + " with " + b);
    }

    private static boolean comparable(Object stat, Object value) {
      return stat != null && (stat instanceof Number && value instanceof Number
          || stat instanceof String && value instanceof String
          || stat instanceof Boolean && value instanceof Boolean);
    }

    static boolean minAtMost(ColumnStatistics.Stat s, Object value, boolean orEqual) {
      if (!comparable(s.min(), value)) {
        return true;
      }
      int c = compare(s.min(), value);
      return orEqual ? c <= 0 : c < 0;
    }

    static boolean maxAtLeast(ColumnStatistics.Stat s, Object value, boolean orEqual) {
      if (!comparable(s.max(), value)) {
        return true;
      }
      if (s.max() instanceof String max && s.maxPrefix() > 0 && length(max) >= s.maxPrefix()) {
        // a kept prefix bounds the values' prefixes only
        return compareStrings(prefix((String) value, s.maxPrefix()), prefix(max, s.maxPrefix())) <= 0;
      }
      int c = compare(s.max(), value);
      return orEqual ? c >= 0 : c > 0;
    }

    /** Whether every value is known to equal {@code value} (with no nulls among them nothing else is there). */
    static boolean onlyValue(ColumnStatistics.Stat s, Object value) {
      boolean exactMax = !(s.max() instanceof String max && s.maxPrefix() > 0 && length(max) >= s.maxPrefix());
      return comparable(s.min(), value) && comparable(s.max(), value) && exactMax
          && compare(s.min(), value) == 0 && compare(s.max(), value) == 0;
    }

    private static int length(String s) {
      return s.codePointCount(0, s.length());
    }

    private static String prefix(String s, int codePoints) {
      return length(s) <= codePoints ? s : s.substring(0, s.offsetByCodePoints(0, codePoints));
    }

    static int compareStrings(String a, String b) {
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        int ca = a.codePointAt(i);
        int cb = b.codePointAt(j);
        if (ca != cb) {
          return Integer.compare(ca, cb);
        }
        i += Character.charCount(ca);
        j += Character.charCount(cb);
      }
      return Integer.compare(a.length() - i, b.length() - j);
    }
  }
}
