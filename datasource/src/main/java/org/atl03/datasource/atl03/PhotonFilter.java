package org.atl03.datasource.atl03;

import java.io.Serializable;

/**
 * What a query asks of photon positions and times, as pushed down from Spark: a box (or none) and a
 * {@code delta_time} window (or none). Bounds are inclusive; Spark re-applies the exact predicates, so the
 * pruning only has to keep every photon that could match.
 */
public record PhotonFilter(GeoBox box, double minDeltaTime, double maxDeltaTime) implements Serializable {

  public static final PhotonFilter ALL =
      new PhotonFilter(null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

  public boolean selectsEverything() {
    return box == null && minDeltaTime == Double.NEGATIVE_INFINITY && maxDeltaTime == Double.POSITIVE_INFINITY;
  }

  public boolean hasTimeWindow() {
    return minDeltaTime != Double.NEGATIVE_INFINITY || maxDeltaTime != Double.POSITIVE_INFINITY;
  }

  public boolean selectsNothing() {
    return (box != null && box.isEmpty()) || minDeltaTime > maxDeltaTime;
  }

  public PhotonFilter withBox(GeoBox newBox) {
    return new PhotonFilter(newBox, minDeltaTime, maxDeltaTime);
  }

  public PhotonFilter withDeltaTime(double min, double max) {
    return new PhotonFilter(box, min, max);
  }
}
