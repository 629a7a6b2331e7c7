package org.atl03.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.atl03.jobs.generate.Generator;
import org.atl03.jobs.generate.GeneratorOptions;
import org.atl03.jobs.generate.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded mutation harness on a CI budget: the real NASA granule, a synthetic one, kerchunk references and
 * FlatGeobuf files, mutated and read through the scan path; any BUG outcome (unexpected exception type, an error
 * not naming the file, a crash, a hang, an allocation beyond what the file backs, photons lost without error)
 * fails the test with the seed and case that reproduce it. Budget: {@code -Datl03.fuzz.seconds} (default 75) and
 * {@code -Datl03.fuzz.cases} per target; {@code -Datl03.fuzz.seed}, {@code -Datl03.fuzz.case} to reproduce one.
 */
class FuzzHarnessTest {

  @Test
  void mutatedFilesGiveTheSameValuesOrAnErrorNamingTheFileAndNeverABug(@TempDir Path tmp) throws Exception {
    Configurator.setLevel("io.jhdf", Level.OFF); // jhdf logs every corrupt structure it meets at WARN
    Configurator.setLevel("org.atl03", Level.ERROR);
    Path fixtures = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"));
    assumeTrue(Files.isDirectory(fixtures), "real-data fixtures absent, fuzzing them skipped: " + fixtures);
    Path synthetic = Generator.generate(new GeneratorOptions(tmp.resolve("synthetic"), 1, 3_000, 7, Layout.V006))
        .get(0);
    List<FuzzTarget> targets = FuzzTargets.of(fixtures, synthetic, tmp.resolve("work"));
    assertThat(targets).extracting(FuzzTarget::name)
        .contains("hdf5:ATL03_gt1l.h5", "refs:ATL03_gt1l.kerchunk.json", "flatgeobuf:countries.fgb");

    long seed = Long.getLong("atl03.fuzz.seed", 20261125L);
    long seconds = Long.getLong("atl03.fuzz.seconds", 75L);
    int cases = Integer.getInteger("atl03.fuzz.cases", 100_000);
    int only = Integer.getInteger("atl03.fuzz.case", -1);
    FuzzHarness.Result result = new FuzzHarness(seed, 10_000, System.out::println)
        .run(targets, cases, seconds * 1000, only);

    System.out.println("fuzz: " + result.cases() + " cases, " + FuzzHarness.totals(result));
    assertThat(result.failures()).as("BUG outcomes (each line says how to reproduce it)").isEmpty();
    if (only < 0) {
      // the budget must buy real coverage, and the mutations must reach past the first parse error
      assertThat(result.cases()).isGreaterThan(200);
      assertThat(FuzzHarness.totals(result).get(FuzzHarness.Outcome.CLEAN_ERROR)).isPositive();
      assertThat(FuzzHarness.totals(result).get(FuzzHarness.Outcome.IDENTICAL)).isPositive();
    }
  }
}
