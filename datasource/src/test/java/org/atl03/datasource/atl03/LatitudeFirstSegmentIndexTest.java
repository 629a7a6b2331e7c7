package org.atl03.datasource.atl03;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning a box reads reference_photon_lon only where latitude lets it decide: the pruning it gives equals the
 * pruning on the whole segment index for seeded random boxes and margins, on the NASA subset and on a synthetic
 * granule of six beams, and a small box reads fewer bytes.
 */
class LatitudeFirstSegmentIndexTest {

  private static final Atl03Granule.SegmentParts POSITIONS = new Atl03Granule.SegmentParts(true, false, false);

  @Test
  void pruningFromTheLatitudeFirstIndexEqualsPruningFromTheWholeIndex(@TempDir Path tmp) throws Exception {
    List<String> files = new ArrayList<>(List.of(Fixtures.shared("atl03/ATL03_gt1l.h5").toUri().toString()));
    for (Path p : Generator.generate(new GeneratorOptions(tmp, 1, 40_000, 11, Layout.V006))) {
      files.add(p.toUri().toString());
    }
    Random random = new Random(20261207L);
    int boxes = 0;
    int narrowed = 0;
    for (String file : files) {
      try (Atl03Granule granule = open(file, new ReadMetrics())) {
        for (String beam : granule.beams()) {
          SegmentIndex whole = granule.segmentIndex(beam, Atl03Granule.SegmentParts.ALL);
          for (int i = 0; i < 60; i++, boxes++) {
            GeoBox box = randomBox(whole, random);
            double margin = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 2_000;
            SegmentIndex latFirst = granule.segmentIndex(beam, POSITIONS, box, margin);
            PhotonFilter filter = PhotonFilter.ALL.withBox(box);
            List<PhotonRange> expected = PhotonPruning.select(whole, filter, margin, 0);
            assertThat(PhotonPruning.select(latFirst, filter, margin, 0))
                .as("%s %s box %s margin %.0f m", file, beam, box, margin).isEqualTo(expected);
            if (!expected.isEmpty() && expected.get(0).length() < whole.photons()) {
              narrowed++;
            }
          }
        }
      }
    }
    assertThat(boxes).isGreaterThanOrEqualTo(7 * 60);
    assertThat(narrowed).as("boxes that keep part of a beam").isGreaterThan(boxes / 4);
  }

  @Test
  void aSmallBoxReadsLessOfTheIndexThanTheWholeOfIt(@TempDir Path tmp) throws Exception {
    String file = Generator.generate(new GeneratorOptions(tmp, 1, 400_000, 3, Layout.V006)).get(0).toUri().toString();
    ReadMetrics wholeReads = new ReadMetrics();
    ReadMetrics boxReads = new ReadMetrics();
    GeoBox box;
    try (Atl03Granule granule = open(file, wholeReads)) {
      SegmentIndex whole = granule.segmentIndex("gt1l", POSITIONS);
      int s = whole.segments() / 2;
      double lat = whole.referenceLat(s);
      double lon = whole.referenceLon(s);
      box = new GeoBox(lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001);
    }
    try (Atl03Granule granule = open(file, boxReads)) {
      granule.segmentIndex("gt1l", POSITIONS, box, PhotonPruning.DEFAULT_MARGIN_METERS);
    }
    try (Atl03Granule granule = open(file, wholeReads = new ReadMetrics())) {
      granule.segmentIndex("gt1l", POSITIONS);
    }
    assertThat(boxReads.bytes()).isLessThan(wholeReads.bytes());
  }

  private static Atl03Granule open(String file, ReadMetrics metrics) throws Exception {
    return Granules.open(file, new HadoopStorage(new Configuration()), GranuleReadOptions.DEFAULT, metrics);
  }

  /** Boxes around a segment of the beam, of every size from metres to a hemisphere, some across the antimeridian. */
  private static GeoBox randomBox(SegmentIndex index, Random random) {
    int s = random.nextInt(index.segments());
    double lat = index.referenceLat(s);
    double lon = index.referenceLon(s);
    if (!(Math.abs(lat) <= 90)) {
      lat = 0;
      lon = 0;
    }
    double half = Math.pow(10, -4 + random.nextDouble() * 6); // 0.0001° to 100°
    double south = Math.max(-90, lat - half * random.nextDouble());
    double north = Math.min(90, lat + half * random.nextDouble());
    double west = lon - half * random.nextDouble();
    double east = lon + half * random.nextDouble();
    if (random.nextInt(8) == 0) { // across the antimeridian: west > east
      west = 170 + random.nextDouble() * 10;
      east = -180 + random.nextDouble() * 10;
    }
    return new GeoBox(wrap(west), south, wrap(east), north);
  }

  private static double wrap(double lon) {
    return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
  }
}
