package org.atl03.jobs.bench.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.atl03.jobs.bench.BboxChoice;

/**
 * The numbers Q3–Q5 filter with, chosen once per run from the granules and handed to every reader: Q3's box, Q4's
 * delta_time window, Q5's polygon (a diamond around Q3's box, its corners on the box's doubled axes, so that it
 * cuts the track diagonally and is not a box).
 */
record QueryParameters(double west, double south, double east, double north, double timeStart, double timeEnd,
    List<double[]> polygon) {

  static QueryParameters of(BboxChoice.Box box, double[] timeWindow) {
    double cx = (box.west() + box.east()) / 2;
    double cy = (box.south() + box.north()) / 2;
    double dx = box.east() - box.west();
    double dy = box.north() - box.south();
    List<double[]> diamond = List.of(new double[] {cx, cy - dy}, new double[] {cx + dx, cy},
        new double[] {cx, cy + dy}, new double[] {cx - dx, cy});
    return new QueryParameters(box.west(), box.south(), box.east(), box.north(), timeWindow[0], timeWindow[1],
        diamond);
  }

  /** The polygon as WKT, closed. */
  String polygonWkt() {
    List<double[]> ring = new ArrayList<>(polygon);
    ring.add(polygon.get(0));
    return "POLYGON ((" + ring.stream().map(p -> num(p[0]) + " " + num(p[1])).collect(Collectors.joining(", "))
        + "))";
  }

  /** The polygon's vertices for the Python peers: "x y,x y,..." (open ring). */
  String polygonArgument() {
    return polygon.stream().map(p -> num(p[0]) + " " + num(p[1])).collect(Collectors.joining(","));
  }

  String bboxArgument() {
    return num(west) + "," + num(south) + "," + num(east) + "," + num(north);
  }

  String timeArgument() {
    return num(timeStart) + "," + num(timeEnd);
  }

  /** Even-odd ray casting, as the Python peers do it: ST_Contains for points off the boundary. */
  boolean polygonContains(double x, double y) {
    boolean inside = false;
    int n = polygon.size();
    for (int i = 0; i < n; i++) {
      double[] a = polygon.get(i);
      double[] b = polygon.get((i + 1) % n);
      if (a[1] == b[1]) {
        continue;
      }
      if ((a[1] > y) != (b[1] > y) && x < a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])) {
        inside = !inside;
      }
    }
    return inside;
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("bbox", Map.of("west", west, "south", south, "east", east, "north", north));
    json.put("time_window", List.of(timeStart, timeEnd));
    json.put("polygon_wkt", polygonWkt());
    return json;
  }

  /** Round-trippable decimal text: the Python peers parse exactly the doubles the Spark side uses. */
  static String num(double v) {
    return String.format(Locale.ROOT, "%s", Double.toString(v));
  }
}
