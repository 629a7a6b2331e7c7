package org.atl03.datasource.atl03.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.atl03.datasource.atl03.GeoBox;
import org.atl03.datasource.atl03.PhotonFilter;
import org.atl03.datasource.atl03.PhotonPruning;
import org.atl03.datasource.atl03.SegmentIndex;
import org.junit.jupiter.api.Test;

/**
 * A window's bounds keep it whenever the segment index would keep one of its segments, on seeded random tracks
 * (across the antimeridian, over the poles, with empty segments and fill values) and random boxes and times; and
 * they do skip windows, so the property is not met by keeping everything.
 */
class WindowBoundsTest {

  private static final double FILL = 3.4028235e38;

  @Test
  void boundsNeverSkipAWindowTheSegmentIndexWouldKeep() {
    Random random = new Random(20261207);
    int skipped = 0;
    int checked = 0;
    for (int track = 0; track < 300; track++) {
      SegmentIndex index = randomTrack(random);
      for (int q = 0; q < 40; q++) {
        PhotonFilter filter = randomFilter(random);
        double marginMeters = random.nextBoolean() ? PhotonPruning.DEFAULT_MARGIN_METERS : random.nextDouble() * 2000;
        double marginSeconds = random.nextBoolean() ? PhotonPruning.DEFAULT_MARGIN_SECONDS : random.nextDouble();
        int first = random.nextInt(index.segments());
        int end = first + 1 + random.nextInt(Math.min(400, index.segments() - first));
        boolean kept = !PhotonPruning.select(slice(index, first, end), filter, marginMeters, marginSeconds)
            .isEmpty();
        boolean mayHold = WindowBounds.of(index, first, end).mayHold(filter, marginMeters, marginSeconds);
        if (kept) {
          assertThat(mayHold).as("track %d query %d: %s segments [%d, %d) bounds %s", track, q, filter, first, end,
              WindowBounds.of(index, first, end)).isTrue();
        }
        skipped += mayHold ? 0 : 1;
        checked++;
      }
    }
    assertThat(skipped).isGreaterThan(checked / 5);
  }

  @Test
  void theArcAcrossTheAntimeridianIsTheShortOne() {
    assertThat(WindowBounds.shortestArc(new double[] {179.5, -179.5, 179.9})).containsExactly(179.5, -179.5);
    assertThat(WindowBounds.shortestArc(new double[] {-10, 20, 5})).containsExactly(-10, 20);
    assertThat(WindowBounds.shortestArc(new double[] {7})).containsExactly(7, 7);
  }

  @Test
  void theUnionOfTwoArcsCoversBothAndWhatLiesBetween() {
    WindowBounds a = new WindowBounds(0, 1, 170, 175, 0, 1);
    WindowBounds b = new WindowBounds(0, 1, -175, -170, 2, 3);
    WindowBounds both = a.union(b);
    assertThat(both.lonWest()).isEqualTo(170);
    assertThat(both.lonEast()).isEqualTo(-170);
    assertThat(both.deltaTimeMin()).isZero();
    assertThat(both.deltaTimeMax()).isEqualTo(3);
    assertThat(a.union(WindowBounds.UNKNOWN).positionKnown()).isFalse();
  }

  /** A ground track: a great-circle-ish walk at a random start, sometimes near a pole or the antimeridian. */
  private static SegmentIndex randomTrack(Random random) {
    int n = 50 + random.nextInt(800);
    int[] counts = new int[n];
    double[] lat = new double[n];
    double[] lon = new double[n];
    double[] time = new double[n];
    double la = switch (random.nextInt(3)) {
      case 0 -> 87 + random.nextDouble() * 2.9;
      case 1 -> -88 + random.nextDouble();
      default -> random.nextDouble() * 160 - 80;
    };
    double lo = random.nextBoolean() ? 179.5 + random.nextDouble() : random.nextDouble() * 360 - 180;
    double heading = random.nextDouble() * 2 * Math.PI;
    double step = 0.00018 * (1 + random.nextInt(20)); // ~20 m and up, so a window spans a range
    double t = 3e7 + random.nextDouble() * 1e8;
    for (int i = 0; i < n; i++) {
      counts[i] = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(30);
      la += step * Math.cos(heading);
      if (la > 89.99) {
        la = 179.98 - la;
        lo += 180;
        heading = Math.PI - heading;
      }
      if (la < -89.99) {
        la = -179.98 - la;
        lo += 180;
        heading = Math.PI - heading;
      }
      lo += step * Math.sin(heading) / Math.max(0.01, Math.cos(Math.toRadians(la)));
      lo = ((lo + 180) % 360 + 360) % 360 - 180;
      t += 0.003;
      lat[i] = la;
      lon[i] = random.nextInt(4) == 0 && lo < 0 ? lo + 360 : lo; // some longitudes in [0, 360)
      time[i] = t;
      if (random.nextInt(300) == 0) {
        lat[i] = FILL;
        lon[i] = FILL;
      }
      if (random.nextInt(300) == 0) {
        time[i] = Double.NaN;
      }
    }
    return new SegmentIndex(null, counts, lat, lon, time);
  }

  private static PhotonFilter randomFilter(Random random) {
    GeoBox box = null;
    if (random.nextInt(4) != 0) {
      double south = random.nextDouble() * 180 - 90;
      double north = Math.min(90, south + random.nextDouble() * (random.nextBoolean() ? 1 : 30));
      double west = random.nextDouble() * 360 - 180;
      double east = west + random.nextDouble() * (random.nextBoolean() ? 1 : 90);
      if (east > 180) {
        east -= 360; // across the antimeridian
      }
      box = switch (random.nextInt(5)) {
        case 0 -> new GeoBox(-180, south, 180, north); // latitudes only
        case 1 -> new GeoBox(west, Double.NEGATIVE_INFINITY, east, Double.POSITIVE_INFINITY);
        case 2 -> new GeoBox(west, south, east, Double.POSITIVE_INFINITY);
        default -> new GeoBox(west, south, east, north);
      };
    }
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    if (random.nextBoolean()) {
      lo = 3e7 + random.nextDouble() * 1e8;
      hi = lo + random.nextDouble() * (random.nextBoolean() ? 1 : 1e7);
    }
    return new PhotonFilter(box, lo, hi);
  }

  private static SegmentIndex slice(SegmentIndex index, int first, int end) {
    int n = end - first;
    int[] counts = new int[n];
    double[] lat = new double[n];
    double[] lon = new double[n];
    double[] time = new double[n];
    for (int i = 0; i < n; i++) {
      counts[i] = index.photonCount(first + i);
      lat[i] = index.referenceLat(first + i);
      lon[i] = index.referenceLon(first + i);
      time[i] = index.deltaTime(first + i);
    }
    return new SegmentIndex(null, counts, lat, lon, time);
  }

  @Test
  void normalizedLongitudesLieInTheHalfOpenCircle() {
    for (double lon : Arrays.asList(-180.0, 180.0, 359.0, -360.0, 0.0, -0.0)) {
      assertThat(WindowBounds.normalize(lon)).isGreaterThanOrEqualTo(-180).isLessThan(180);
    }
  }
}
