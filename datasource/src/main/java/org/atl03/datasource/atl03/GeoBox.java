package org.atl03.datasource.atl03;

import java.io.Serializable;

/**
 * A longitude/latitude box in degrees. {@code west > east} means the box crosses the antimeridian; a box may
 * be open on any side (infinite bounds), as a filter like {@code lat_ph > 80} gives.
 */
public record GeoBox(double west, double south, double east, double north) implements Serializable {

  public static final GeoBox WORLD = new GeoBox(-180, -90, 180, 90);

  public GeoBox {
    if (Double.isNaN(west) || Double.isNaN(south) || Double.isNaN(east) || Double.isNaN(north)) {
      throw new IllegalArgumentException("NaN in box");
    }
  }

  public boolean crossesAntimeridian() {
    return west > east;
  }

  /** An empty box selects nothing (e.g. lat_ph > 10 AND lat_ph < 5). */
  public boolean isEmpty() {
    return south > north;
  }

  public boolean containsLatitude(double lat) {
    return lat >= south && lat <= north;
  }

  public boolean containsLongitude(double lon) {
    if (west <= -180 && east >= 180) {
      return true;
    }
    return crossesAntimeridian() ? lon >= west || lon <= east : lon >= west && lon <= east;
  }

  public boolean contains(double lon, double lat) {
    return containsLatitude(lat) && containsLongitude(lon);
  }

  /** Degrees of longitude between {@code lon} and the box's longitude interval (0 inside), around the globe. */
  public double longitudeDistance(double lon) {
    if (containsLongitude(lon)) {
      return 0;
    }
    return Math.min(circularDistance(lon, west), circularDistance(lon, east));
  }

  /** Degrees of latitude between {@code lat} and the box (0 inside). */
  public double latitudeDistance(double lat) {
    return lat < south ? south - lat : lat > north ? lat - north : 0;
  }

  private static double circularDistance(double a, double b) {
    double d = Math.abs(a - b) % 360;
    return d > 180 ? 360 - d : d;
  }
}
