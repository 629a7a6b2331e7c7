package org.atl03.jobs.results;

import java.util.Locale;

/**
 * How reports write numbers, the same in every job's report, CSV and index row: Locale.ROOT (a dot for decimals, a
 * comma for thousands, on any machine), decimal megabytes, and a dash where nothing was measured.
 */
public final class Numbers {

  private Numbers() {}

  /** "12.34 MB" (10^6 bytes), "–" for null. */
  public static String mb(Long bytes) {
    return bytes == null ? "–" : String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }

  /** "7.8 GB" (10^9 bytes), "?" for null (the machine's memory, when the JVM cannot tell). */
  public static String gb(Long bytes) {
    return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }

  /** A fraction as "1.23 %", "–" for null. */
  public static String pct(Double fraction) {
    return fraction == null ? "–" : String.format(Locale.ROOT, "%.2f %%", fraction * 100);
  }

  /** "1,234,567", "–" for null. */
  public static String grouped(Long value) {
    return value == null ? "–" : String.format(Locale.ROOT, "%,d", value);
  }

  /** A CSV cell: six significant digits. */
  public static String csvNumber(double value) {
    return String.format(Locale.ROOT, "%.6g", value);
  }

  /** A CSV cell: the digits, empty for null. */
  public static String csvOrEmpty(Long value) {
    return value == null ? "" : Long.toString(value);
  }
}
