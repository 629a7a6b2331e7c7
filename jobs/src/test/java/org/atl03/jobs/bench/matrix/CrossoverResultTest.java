package org.atl03.jobs.bench.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.atl03.jobs.bench.matrix.CrossoverResult.Crossing;
import org.atl03.jobs.bench.matrix.CrossoverResult.Kind;
import org.junit.jupiter.api.Test;

/** Where ours overtakes a peer, from measured medians: the crossing rules, on chosen and on seeded random lines. */
class CrossoverResultTest {

  private static final double[] SIZES = {1e4, 1e5, 1e6, 4e6};

  @Test
  void fasterAtEverySize() {
    Crossing c = crossing(new double[] {0.1, 0.1, 0.2, 0.3}, new double[] {0.2, 0.3, 0.5, 1.5});
    assertThat(c.kind()).isEqualTo(Kind.FASTER_THROUGHOUT);
    assertThat(c.below()).isEqualTo(10_000);
    assertThat(c.sentence()).contains("every size measured, from 10 k photons");
  }

  @Test
  void betweenTwoSizesOnLogLogAxes() {
    Crossing c = crossing(new double[] {0.3, 0.3, 0.4, 0.6}, new double[] {0.01, 0.2, 1.0, 4.0});
    assertThat(c.kind()).isEqualTo(Kind.BETWEEN);
    assertThat(c.below()).isEqualTo(100_000);
    assertThat(c.above()).isEqualTo(1_000_000);
    double ra = Math.log(0.3 / 0.2);
    double rb = Math.log(0.4 / 1.0);
    assertThat(c.photons()).isCloseTo(Math.exp(Math.log(1e5) + Math.log(10) * ra / (ra - rb)), within(1e-6));
  }

  @Test
  void aCrossingBackCountsOnlyFromWhereOursStaysFaster() {
    Crossing c = crossing(new double[] {0.3, 0.1, 0.5, 0.6}, new double[] {0.2, 0.2, 0.4, 4.0});
    assertThat(c.kind()).isEqualTo(Kind.BETWEEN);
    assertThat(c.below()).isEqualTo(1_000_000);
    assertThat(c.above()).isEqualTo(4_000_000);
  }

  @Test
  void slowerEverywhereButCheaperPerPhotonIsExtrapolated() {
    // ours 0.2 s + 10 ns/photon, theirs 40 ns/photon: equal at 0.2 / 30e-9 photons
    Crossing c = crossing(line(0.2, 1e-8), line(0, 4e-8));
    assertThat(c.kind()).isEqualTo(Kind.EXTRAPOLATED);
    assertThat(c.photons()).isCloseTo(0.2 / 3e-8, within(1.0));
    assertThat(c.sentence()).contains("~6.7 M photons (extrapolated)");
  }

  @Test
  void oursFallingWithSizeIsTakenAsFlat() {
    // ours 0.3 s then 0.25 s (noise over its fixed cost), theirs 0.05 s + 40 ns/photon: equal where theirs is 0.25 s
    Crossing c = crossing(new double[] {0.3, 0.3, 0.3, 0.25}, line(0.05, 4e-8));
    assertThat(c.kind()).isEqualTo(Kind.EXTRAPOLATED);
    assertThat(c.photons()).isCloseTo(0.2 / 4e-8, within(1.0));
  }

  @Test
  void slowerAndDearerPerPhotonHasNoCrossing() {
    Crossing c = crossing(line(0.2, 4e-8), line(0.01, 3e-8));
    assertThat(c.kind()).isEqualTo(Kind.NOT_IN_SIGHT);
    assertThat(c.sentence()).contains("no crossover in sight");
  }

  @Test
  void tooFewSizes() {
    assertThat(CrossoverResult.crossing("local", "h5py", List.of(), List.of()).kind()).isEqualTo(Kind.NOT_MEASURED);
    assertThat(CrossoverResult.crossing("local", "h5py", List.<double[]>of(new double[] {1e4, 0.3}),
        List.<double[]>of(new double[] {1e4, 0.1})).kind()).isEqualTo(Kind.NOT_MEASURED);
  }

  /**
   * Seeded random fixed-cost + per-photon lines: a crossing beyond the sizes is found exactly (the lines are exact),
   * one within them is placed between the two sizes that bracket the true one.
   */
  @Test
  void randomLines() {
    Random random = new Random(17);
    int between = 0;
    int extrapolated = 0;
    for (int i = 0; i < 2_000; i++) {
      double oursFixed = 0.05 + random.nextDouble();
      double oursPerPhoton = 1e-9 * (1 + 50 * random.nextDouble());
      double theirsFixed = 0.001 + 0.05 * random.nextDouble();
      double theirsPerPhoton = 1e-9 * (1 + 100 * random.nextDouble());
      Crossing c = crossing(line(oursFixed, oursPerPhoton), line(theirsFixed, theirsPerPhoton));
      double truth = (oursFixed - theirsFixed) / (theirsPerPhoton - oursPerPhoton);
      switch (c.kind()) {
        case EXTRAPOLATED -> {
          extrapolated++;
          assertThat(c.photons()).isCloseTo(truth, within(truth * 1e-6));
        }
        case BETWEEN -> {
          between++;
          assertThat(truth).isBetween((double) c.below(), (double) c.above());
          assertThat(c.photons()).isBetween((double) c.below(), (double) c.above());
        }
        case NOT_IN_SIGHT -> assertThat(theirsPerPhoton).isLessThanOrEqualTo(oursPerPhoton);
        default -> throw new AssertionError(c.kind() + " for lines that start with ours slower");
      }
    }
    assertThat(between).isPositive();
    assertThat(extrapolated).isPositive();
  }

  @Test
  void readersThatCountOrSumDifferentlyDisagree() {
    BenchConfig.Crossover config = new BenchConfig.Crossover(List.of(100L), List.of("atl03", "h5py", "jhdf"),
        List.of("local"), 0, 1, 10);
    List<CrossoverRun.Point> points = new ArrayList<>(List.of(point("atl03", 100, 1234.5),
        point("h5py", 100, 1234.5 * (1 + 1e-12))));
    assertThat(new CrossoverResult(config, "local[2]", points, java.util.Map.of()).disagreements()).isEmpty();
    points.add(point("jhdf", 99, 1234.5));
    assertThat(new CrossoverResult(config, "local[2]", points, java.util.Map.of()).disagreements()).singleElement()
        .asString().contains("jhdf (local) 99");
    points.set(2, point("jhdf", 100, 1234.6));
    assertThat(new CrossoverResult(config, "local[2]", points, java.util.Map.of()).disagreements()).hasSize(1);
  }

  private static CrossoverRun.Point point(String reader, long photons, double sum) {
    return new CrossoverRun.Point(100, 1000, reader, "local", CrossoverRun.Point.OK, null, List.of(0.1), photons, sum,
        null, null);
  }

  private static double[] line(double fixed, double perPhoton) {
    double[] t = new double[SIZES.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = fixed + perPhoton * SIZES[i];
    }
    return t;
  }

  private static Crossing crossing(double[] ours, double[] theirs) {
    List<double[]> o = new ArrayList<>();
    List<double[]> t = new ArrayList<>();
    for (int i = 0; i < SIZES.length; i++) {
      o.add(new double[] {SIZES[i], ours[i]});
      t.add(new double[] {SIZES[i], theirs[i]});
    }
    return CrossoverResult.crossing("local", "h5py", o, t);
  }
}
