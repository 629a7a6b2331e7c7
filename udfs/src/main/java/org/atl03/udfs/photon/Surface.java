package org.atl03.udfs.photon;

import java.util.Arrays;
import java.util.Locale;

/**
 * The surface types of {@code signal_conf_ph}, in the order of its five columns, and SlideRule's {@code srt}
 * numbering: -1 is "dynamic", the highest confidence over the five surfaces.
 */
public enum Surface {
  DYNAMIC(-1),
  LAND(0),
  OCEAN(1),
  SEA_ICE(2),
  LAND_ICE(3),
  INLAND_WATER(4);

  /** Columns of {@code signal_conf_ph}. */
  public static final int COUNT = 5;

  private final int index;

  Surface(int index) {
    this.index = index;
  }

  /** The column of signal_conf_ph (SlideRule's srt), -1 for dynamic. */
  public int index() {
    return index;
  }

  /** The SQL name: land, ocean, sea_ice, land_ice, inland_water, dynamic. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * A surface by name, as users write it: "sea ice", "sea_ice", "SEA-ICE", SlideRule's "SRT_SEA_ICE"; or by its
   * number as text ("2", "-1").
   */
  public static Surface named(String name) {
    String key = name.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    if (key.startsWith("SRT_")) {
      key = key.substring(4);
    }
    for (Surface s : values()) {
      if (s.name().equals(key)) {
        return s;
      }
    }
    try {
      return ofIndex(Integer.parseInt(name.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unknown surface type '" + name + "': expected one of "
          + Arrays.stream(values()).map(s -> s.sqlName() + " (" + s.index + ")").toList());
    }
  }

  public static Surface ofIndex(int index) {
    for (Surface s : values()) {
      if (s.index == index) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown surface type " + index + ": expected -1 (dynamic) or 0 … 4 (land, "
        + "ocean, sea_ice, land_ice, inland_water)");
  }
}
