package org.atl03.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded mutation harness on a CI budget: the real NASA granule, a synthetic one, kerchunk references and
 * FlatGeobuf files, mutated and read through the scan path; any BUG outcome (unexpected exception type, an error
 * not naming the file, a crash, a hang, an allocation beyond what the file backs, photons lost without error)
 * fails the test with the seed and case that reproduce it. Budget: 40 cases per granule, 120 per reference file
 * with data, 1,500 per small file, times {@code -Datl03.fuzz.scale}; {@code -Datl03.fuzz.seconds} (default 900) is
 * a safety net; {@code -Datl03.fuzz.seed}, {@code -Datl03.fuzz.case} to reproduce one.
 */
class FuzzHarnessTest {

  /** Cases that once ended in a BUG outcome (seed 20261125), each fixed: they must stay fixed. */
  private static final Map<String, List<Integer>> FOUND = Map.of(
      "refs:ATL03_gt1l.kerchunk.inline500.json", List.of(11, 911),
      "flatgeobuf:alldatatypes.fgb", List.of(5, 25, 3742, 6349),
      "flatgeobuf:unknown_feature_count.fgb", List.of(954, 14381),
      "flatgeobuf:countries.fgb", List.of(132, 8734));

  @Test
  void casesThatOnceFoundABugStayFixed(@TempDir Path tmp) throws Exception {
    List<FuzzTarget> targets = targets(tmp);
    List<FuzzHarness.Failure> failures = new ArrayList<>();
    FOUND.forEach((name, cases) -> {
      List<FuzzTarget> target = targets.stream().filter(t -> t.name().equals(name)).toList();
      assertThat(target).as(name).hasSize(1);
      for (int c : cases) {
        try {
          failures.addAll(new FuzzHarness(20261125L, 10_000, System.out::println).run(target, 1, 60_000, c).failures());
        } catch (Exception e) {
          throw new AssertionError(name + " case " + c + ": " + e, e);
        }
      }
    });
    assertThat(failures).isEmpty();
  }

  @Test
  void mutatedFilesGiveTheSameValuesOrAnErrorNamingTheFileAndNeverABug(@TempDir Path tmp) throws Exception {
    List<FuzzTarget> targets = targets(tmp);
    assertThat(targets).extracting(FuzzTarget::name)
        .contains("hdf5:ATL03_gt1l.h5", "refs:ATL03_gt1l.kerchunk.json", "flatgeobuf:countries.fgb");

    long seed = Long.getLong("atl03.fuzz.seed", 20261125L);
    // a fixed number of cases per target, so CI runs exactly the cases run here (a time budget ran further on a
    // faster machine and found what no run here had); the time limit is only a safety net for a very slow one
    long seconds = Long.getLong("atl03.fuzz.seconds", 900L);
    int scale = Integer.getInteger("atl03.fuzz.scale", 1);
    int only = Integer.getInteger("atl03.fuzz.case", -1);
    FuzzHarness.Result result = new FuzzHarness(seed, 10_000, System.out::println)
        .run(targets, FuzzHarness.fixedCases(40 * scale, 120 * scale, 1_500 * scale), seconds * 1000, only);

    System.out.println("fuzz: " + result.cases() + " cases, " + FuzzHarness.totals(result));
    assertThat(result.failures()).as("BUG outcomes (each line says how to reproduce it)").isEmpty();
    if (only < 0) {
      // the budget must buy real coverage, and the mutations must reach past the first parse error
      assertThat(result.cases()).isGreaterThan(200);
      assertThat(FuzzHarness.totals(result).get(FuzzHarness.Outcome.CLEAN_ERROR)).isPositive();
      assertThat(FuzzHarness.totals(result).get(FuzzHarness.Outcome.IDENTICAL)).isPositive();
    }
  }

  private static List<FuzzTarget> targets(Path tmp) throws Exception {
    Configurator.setLevel("io.jhdf", Level.OFF); // jhdf logs every corrupt structure it meets at WARN
    Configurator.setLevel("org.atl03", Level.ERROR);
    Path fixtures = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"));
    assumeTrue(Files.isDirectory(fixtures), "real-data fixtures absent, fuzzing them skipped: " + fixtures);
    Path synthetic = Generator.generate(new GeneratorOptions(tmp.resolve("synthetic"), 1, 3_000, 7, Layout.V006))
        .get(0);
    return FuzzTargets.of(fixtures, synthetic, tmp.resolve("work"));
  }
}
