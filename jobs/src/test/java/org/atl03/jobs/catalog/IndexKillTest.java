package org.atl03.jobs.catalog;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.datasource.spark.catalog.CatalogReader;
import org.atl03.jobs.SparkOptions;
import org.atl03.jobs.reliability.ChildJvm;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./atl03 index} killed with SIGKILL at seeded random points while adding granules to a catalog leaves the
 * catalog as it was or as the run would have made it, never in between; a rerun completes it.
 */
class IndexKillTest {

  private static final int KILLS = 4;

  @Test
  void aKilledIndexRunLeavesThePreviousVersionOrTheNewOne(@TempDir Path tmp) throws Exception {
    Configurator.setLevel("io.jhdf", Level.WARN);
    List<Path> granules = Generator.generate(new GeneratorOptions(tmp.resolve("g"), 4, 20_000, 51, Layout.V006));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(granules.get(0), in.resolve(granules.get(0).getFileName()));
    Files.copy(granules.get(1), in.resolve(granules.get(1).getFileName()));
    SparkSession spark = new SparkOptions().session("atl03 index kill test", "local[2]");
    try {
      Path base = tmp.resolve("base");
      CatalogIndexer.index(spark, List.of(in.toString()), base.toString(), CatalogIndexer.Options.DEFAULT,
          spark.sessionState().newHadoopConf());
      List<String> before = windows(spark, base);
      Files.copy(granules.get(2), in.resolve(granules.get(2).getFileName()));
      Files.copy(granules.get(3), in.resolve(granules.get(3).getFileName()));

      Path reference = copy(base, tmp.resolve("reference"));
      long started = System.nanoTime();
      assertThat(index(in, reference, tmp).waitFor()).isZero();
      long runMillis = (System.nanoTime() - started) / 1_000_000;
      List<String> after = windows(spark, reference);
      assertThat(after).hasSizeGreaterThan(before.size()).containsAll(before);

      Random random = new Random(20261207);
      Path killed = copy(base, tmp.resolve("killed"));
      int states = 0;
      for (int k = 0; k < KILLS; k++) {
        // the last part of the run mostly, where the catalog is written and committed (the rest is JVM start-up)
        long delay = (long) (runMillis * 0.5 + random.nextDouble() * (runMillis * 0.5 + 1000));
        Process p = index(in, killed, tmp);
        if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
          ChildJvm.kill(p);
        }
        List<String> seen = windows(spark, killed);
        assertThat(seen).as("kill %d after %d ms (run %d ms)", k, delay, runMillis).isIn(before, after);
        states += seen.equals(after) ? 1 : 0;
        if (seen.equals(after)) {
          killed = copy(base, tmp.resolve("killed-" + k)); // start the next kill from the old version again
        }
      }
      assertThat(index(in, killed, tmp).waitFor()).isZero();
      assertThat(windows(spark, killed)).isEqualTo(after);
      System.out.println("kills that left the new version: " + states + " of " + KILLS);
    } finally {
      spark.stop();
    }
  }

  private static Process index(Path in, Path catalog, Path tmp) throws Exception {
    File log = tmp.resolve("index-" + catalog.getFileName() + ".log").toFile();
    return ChildJvm.atl03(List.of("index", "--in", in.toString(), "--catalog", catalog.toString(), "--master",
        "local[2]"), log);
  }

  /** Every window of the catalog as granule, beam and photons, sorted; one string per window. */
  private static List<String> windows(SparkSession spark, Path catalog) {
    return CatalogReader.table(spark, catalog.toString()).filter(col("kind").equalTo("window"))
        .selectExpr("concat_ws(' ', granule, beam, photon_start, photon_end, size)").collectAsList().stream()
        .map(r -> r.getString(0)).sorted().toList();
  }

  private static Path copy(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
