package org.atl03.udfs.photon;

import java.util.Arrays;
import java.util.Locale;

/**
 * The values of {@code signal_conf_ph} (ATL03 ATBD): -2 the photon may be the transmitter echo path (TEP), -1 the
 * surface type was not considered, 0 noise (SlideRule's "background"), 1 buffer (within 10 m of signal), 2 low,
 * 3 medium, 4 high confidence signal.
 */
public enum SignalConfidence {
  TEP(-2),
  NOT_CONSIDERED(-1),
  NOISE(0, "BACKGROUND"),
  BUFFER(1, "WITHIN_10M"),
  LOW(2),
  MEDIUM(3),
  HIGH(4);

  private final int value;
  private final String alias;

  SignalConfidence(int value) {
    this(value, null);
  }

  SignalConfidence(int value, String alias) {
    this.value = value;
    this.alias = alias;
  }

  public int value() {
    return value;
  }

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a confidence counts as signal at a minimum level, SlideRule's {@code cnf} as a threshold. */
  public static boolean atLeast(int confidence, int minimum) {
    return confidence >= minimum;
  }

  /**
   * By name: tep, not_considered, noise (or background), buffer (or within_10m), low, medium, high; SlideRule's
   * "atl03_high" spellings too; or the value as text.
   */
  public static SignalConfidence named(String name) {
    String key = name.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    if (key.startsWith("ATL03_")) {
      key = key.substring(6);
    }
    for (SignalConfidence c : values()) {
      if (c.name().equals(key) || key.equals(c.alias)) {
        return c;
      }
    }
    try {
      return of(Integer.parseInt(name.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unknown signal confidence '" + name + "': expected one of "
          + Arrays.stream(values()).map(c -> c.sqlName() + " (" + c.value + ")").toList());
    }
  }

  public static SignalConfidence of(int value) {
    for (SignalConfidence c : values()) {
      if (c.value == value) {
        return c;
      }
    }
    throw new IllegalArgumentException("signal confidence " + value + " is outside -2 … 4");
  }

  /** The name of a value, or null for a value outside -2 … 4. */
  public static String nameOf(int value) {
    for (SignalConfidence c : values()) {
      if (c.value == value) {
        return c.sqlName();
      }
    }
    return null;
  }
}
