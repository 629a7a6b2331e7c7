package org.atl03.datasource.atl03;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PhotonPruningTest {

  /** A beam along a track: segment reference points every ~20 m, photons scattered within 15 m of them. */
  static final class Track {
    final SegmentIndex index;
    final double[] photonLat;
    final double[] photonLon;

    Track(double startLat, double startLon, double headingDeg, int segments, long seed) {
      Random random = new Random(seed);
      int[] counts = new int[segments];
      double[] refLat = new double[segments];
      double[] refLon = new double[segments];
      double[] time = new double[segments];
      List<double[]> photons = new ArrayList<>();
      double lat = startLat;
      double lon = startLon;
      double heading = Math.toRadians(headingDeg);
      for (int s = 0; s < segments; s++) {
        counts[s] = random.nextInt(10) < 2 ? 0 : 1 + random.nextInt(12); // some segments empty
        refLat[s] = lat;
        refLon[s] = lon;
        time[s] = 1000 + s * 20 / 7000.0;
        for (int p = 0; p < counts[s]; p++) {
          double[] ll = offset(lat, lon, (random.nextDouble() * 2 - 1) * 15, (random.nextDouble() * 2 - 1) * 15);
          photons.add(ll);
        }
        // advance 20 m along a constant heading (a rhumb-ish path is enough for these tests)
        double[] next = offset(lat, lon, 20 * Math.cos(heading), 20 * Math.sin(heading));
        lat = next[0];
        lon = next[1];
      }
      index = new SegmentIndex(null, counts, refLat, refLon, time);
      photonLat = photons.stream().mapToDouble(p -> p[0]).toArray();
      photonLon = photons.stream().mapToDouble(p -> p[1]).toArray();
    }

    /** Moves north and east by metres; longitudes wrap into [-180, 180]. */
    static double[] offset(double lat, double lon, double north, double east) {
      double newLat = lat + north / 111_132.0;
      double newLon = lon + east / (111_320.0 * Math.cos(Math.toRadians(lat)));
      newLon = ((newLon + 540) % 360) - 180;
      return new double[] {newLat, newLon};
    }
  }

  static boolean covered(List<PhotonRange> ranges, long photon) {
    return ranges.stream().anyMatch(r -> photon >= r.start() && photon < r.end());
  }

  /** Every photon in the box lies in a selected range: the pruning never loses a row. */
  static void assertNoPhotonLost(Track track, GeoBox box, List<PhotonRange> ranges) {
    for (int p = 0; p < track.photonLat.length; p++) {
      if (box.contains(track.photonLon[p], track.photonLat[p])) {
        assertThat(covered(ranges, p)).as("photon %d at %f,%f", p, track.photonLon[p], track.photonLat[p]).isTrue();
      }
    }
  }

  @Test
  void smallBoxOnAMidLatitudeTrackSelectsAFewSegmentsAndLosesNothing() {
    Track track = new Track(40, 10, 10, 5000, 1);
    GeoBox box = new GeoBox(10.095, 40.435, 10.11, 40.45); // the track passes ~40.443 N 10.102 E

    List<PhotonRange> ranges = PhotonPruning.select(track.index, new PhotonFilter(box, -1e300, 1e300));

    assertNoPhotonLost(track, box, ranges);
    long inBox = 0;
    for (int p = 0; p < track.photonLat.length; p++) {
      inBox += box.contains(track.photonLon[p], track.photonLat[p]) ? 1 : 0;
    }
    assertThat(inBox).isPositive();
    // the margin (200 m) adds at most ~20 segments on each side of each crossing
    assertThat(PhotonRange.totalLength(ranges)).isLessThan(inBox + 2 * 21 * 12);
    assertThat(PhotonRange.totalLength(ranges)).isLessThan(track.index.photons() / 10);
  }

  @Test
  void boxAcrossTheAntimeridianKeepsBothSides() {
    Track track = new Track(-20, 179.5, 90, 6000, 2); // eastward through 180°
    GeoBox box = new GeoBox(179.9, -21, -179.9, -19);

    List<PhotonRange> ranges = PhotonPruning.select(track.index, PhotonFilter.ALL.withBox(box));

    assertNoPhotonLost(track, box, ranges);
    assertThat(ranges).isNotEmpty();
    assertThat(PhotonRange.totalLength(ranges)).isLessThan(track.index.photons() / 2);
  }

  @Test
  void polarTrackLikeTheNasaSubsetLosesNothing() {
    // 87.3° N heading east: longitudes sweep fast, as in ATL03_20181014002445 gt1l (95° to 179°)
    Track track = new Track(87.29, 95, 80, 4000, 3);
    for (GeoBox box :
        List.of(
            new GeoBox(120, 87.0, 140, 87.6),
            new GeoBox(170, 87.29, -170, 87.31),
            new GeoBox(-180, 87.295, 180, 87.2960))) {
      List<PhotonRange> ranges = PhotonPruning.select(track.index, PhotonFilter.ALL.withBox(box));
      assertNoPhotonLost(track, box, ranges);
    }
  }

  @Test
  void nearThePoleEveryLongitudeIsWithinTheMargin() {
    GeoBox box = new GeoBox(0, 89.0, 1, 90);
    assertThat(PhotonPruning.mayHoldPosition(box, 180, 89.999, 200)).isTrue();
    assertThat(PhotonPruning.mayHoldPosition(box, 180, 80, 200)).isFalse();
  }

  @Test
  void boxAwayFromTheTrackSelectsNothing() {
    Track track = new Track(40, 10, 10, 2000, 4);
    GeoBox box = new GeoBox(-50, -10, -40, 0);
    assertThat(PhotonPruning.select(track.index, PhotonFilter.ALL.withBox(box))).isEmpty();
  }

  @Test
  void fillValuePositionsAreKeptNotTrusted() {
    double fill = 3.4028234663852886e38;
    SegmentIndex index =
        new SegmentIndex(
            null, new int[] {5, 5, 5}, new double[] {10, fill, 10}, new double[] {10, fill, Double.NaN},
            new double[] {1, 2, 3});
    GeoBox farAway = new GeoBox(100, -50, 110, -40);
    assertThat(PhotonPruning.select(index, PhotonFilter.ALL.withBox(farAway)))
        .containsExactly(new PhotonRange(5, 15));
  }

  @Test
  void emptySegmentsNeitherOpenNorSplitARange() {
    SegmentIndex index =
        new SegmentIndex(
            null, new int[] {0, 4, 0, 0, 3, 0, 2}, new double[] {0, 0, 0, 0, 0, 50, 50},
            new double[] {0, 0, 0, 0, 0, 50, 50}, new double[] {0, 1, 2, 3, 4, 5, 6});
    GeoBox nearOrigin = new GeoBox(-1, -1, 1, 1);
    assertThat(PhotonPruning.select(index, PhotonFilter.ALL.withBox(nearOrigin)))
        .containsExactly(new PhotonRange(0, 7));
  }

  @Test
  void timeWindowSelectsSegmentsWithinTheMargin() {
    int n = 1000;
    int[] counts = new int[n];
    double[] zeros = new double[n];
    double[] time = new double[n];
    for (int i = 0; i < n; i++) {
      counts[i] = 3;
      time[i] = i * 0.01;
    }
    SegmentIndex index = new SegmentIndex(null, counts, zeros, zeros, time);

    List<PhotonRange> ranges = PhotonPruning.select(index, PhotonFilter.ALL.withDeltaTime(2.0, 3.0), 200, 0.045);

    // segments 196..304 (1.955 .. 3.045), 3 photons each
    assertThat(ranges).containsExactly(new PhotonRange(196 * 3, 305 * 3));
  }

  @Test
  void emptyOrContradictoryFiltersSelectNothingAndNoFilterSelectsAll() {
    Track track = new Track(40, 10, 10, 100, 5);
    assertThat(PhotonPruning.select(track.index, PhotonFilter.ALL.withDeltaTime(5, 4))).isEmpty();
    assertThat(PhotonPruning.select(track.index, PhotonFilter.ALL.withBox(new GeoBox(0, 10, 20, 5)))).isEmpty();
    assertThat(PhotonPruning.select(track.index, PhotonFilter.ALL))
        .containsExactly(new PhotonRange(0, track.index.photons()));
  }

  @Test
  void segmentOfFindsTheSegmentHoldingAPhoton() {
    SegmentIndex index =
        new SegmentIndex(
            new int[] {7, 8, 9, 10}, new int[] {2, 0, 3, 1}, new double[4], new double[4], new double[4]);
    assertThat(index.photons()).isEqualTo(6);
    assertThat(index.segmentOf(0)).isEqualTo(0);
    assertThat(index.segmentOf(1)).isEqualTo(0);
    assertThat(index.segmentOf(2)).isEqualTo(2);
    assertThat(index.segmentOf(4)).isEqualTo(2);
    assertThat(index.segmentOf(5)).isEqualTo(3);
    assertThat(index.segmentId(2)).isEqualTo(9);
  }

  @Test
  void longitudeRunsCoverEverySegmentWhoseLongitudeDecidesAndMergeWithinNeighbouringChunks() {
    GeoBox box = new GeoBox(10, 40, 11, 41);
    double far = 50; // a latitude outside the band whatever the margin
    double in = 40.5;
    double[] lat = new double[40];
    java.util.Arrays.fill(lat, far);
    // rows counted from firstRow 5 with 10-row chunks: local 0-4 are in chunk 0, 5-14 in chunk 1, 15-24 chunk 2 ...
    lat[1] = in;
    lat[2] = Double.NaN; // unknown: kept whatever its longitude, so its longitude does not decide
    lat[12] = in; // chunk 1, next to chunk 0: one run with row 1
    lat[36] = in; // chunk 4: chunks 2 and 3 lie between
    lat[39] = in;
    List<PhotonPruning.SegmentRows> runs = PhotonPruning.longitudeRuns(lat, 5, 10, box, 0);
    assertThat(runs).containsExactly(new PhotonPruning.SegmentRows(1, 13), new PhotonPruning.SegmentRows(36, 40));
    for (int s = 0; s < lat.length; s++) {
      final int segment = s;
      boolean covered = runs.stream().anyMatch(r -> segment >= r.start() && segment < r.end());
      if (PhotonPruning.longitudeDecides(box, lat[s], 0)) {
        assertThat(covered).as("segment %d", s).isTrue();
      }
    }
    assertThat(PhotonPruning.longitudeRuns(new double[] {far, far}, 0, 10, box, 0)).isEmpty();
  }
}
