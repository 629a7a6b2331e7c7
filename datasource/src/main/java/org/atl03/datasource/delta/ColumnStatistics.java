package org.atl03.datasource.delta;

/**
 * What a file or a row group says of its columns' values, for skipping it: bounds and counts, each possibly unknown.
 */
@FunctionalInterface
public interface ColumnStatistics {

  /** A column's statistics; {@link Stat#UNKNOWN} when none are kept. */
  Stat of(String column);

  /**
   * Bounds of the column's non-null values (null: unknown; compared as {@link TableRow#value} gives them), the
   * number of nulls and of rows (-1: unknown). A string {@code max} of {@code maxPrefix} characters or more may be
   * a truncated prefix (Delta keeps such prefixes): only its first {@code maxPrefix} characters bound the values
   * then (0: exact).
   */
  record Stat(Object min, Object max, long nullCount, long rowCount, int maxPrefix) {
    public static final Stat UNKNOWN = new Stat(null, null, -1, -1, 0);

    /** Whether every value is known to be null (then no comparison holds). */
    public boolean allNull() {
      return nullCount >= 0 && rowCount >= 0 && nullCount == rowCount;
    }
  }
}
