package org.atl03.udfs.photon;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code quality_ph}: 0 nominal, 1 possible afterpulse, 2 possible impulse response effect, 3 possible TEP.
 * SlideRule keeps the photons whose quality_ph is in an allowed set, by default nominal only.
 */
public enum PhotonQuality {
  NOMINAL(0),
  POSSIBLE_AFTERPULSE(1),
  POSSIBLE_IMPULSE_RESPONSE_EFFECT(2),
  POSSIBLE_TEP(3);

  private final int value;

  PhotonQuality(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** By name, with or without "possible_" (afterpulse, impulse_response_effect or impulse_response, tep), or value. */
  public static PhotonQuality named(String name) {
    String key = name.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    if (key.startsWith("ATL03_")) {
      key = key.substring(6);
    }
    for (PhotonQuality q : values()) {
      String n = q.name();
      if (n.equals(key) || n.equals("POSSIBLE_" + key) || n.equals("POSSIBLE_" + key + "_EFFECT")) {
        return q;
      }
    }
    try {
      return of(Integer.parseInt(name.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unknown quality_ph '" + name + "': expected one of "
          + Arrays.stream(values()).map(q -> q.sqlName() + " (" + q.value + ")").toList());
    }
  }

  public static PhotonQuality of(int value) {
    for (PhotonQuality q : values()) {
      if (q.value == value) {
        return q;
      }
    }
    throw new IllegalArgumentException("quality_ph " + value + " is outside 0 … 3");
  }
}
