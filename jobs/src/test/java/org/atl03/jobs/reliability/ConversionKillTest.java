package org.atl03.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atl03 convert} killed with SIGKILL at seeded random points, for every target: after each kill nothing
 * partial is visible at the final path, and a rerun gives output identical to an uninterrupted run.
 * {@code -Datl03.kill.perTarget} (default 1) and {@code -Datl03.kill.seed} set the budget and the points.
 */
class ConversionKillTest {

  @Test
  void killedConversionsLeaveNothingPartialAndRerunsGiveIdenticalOutput(@TempDir Path tmp) throws Exception {
    Path granule = Generator.generate(new GeneratorOptions(tmp.resolve("granule"), 1, 5_000, 3, Layout.V006)).get(0);
    SparkSession spark = ReliabilityCommand.session("local[2]");
    try {
      List<String> targets = List.of("refs", "h5repack", "flatgeobuf", "geoparquet", "delta");
      List<KilledConversions.TargetResult> results = new KilledConversions(spark, Long.getLong("atl03.kill.seed", 11L),
          System.out::println).run(granule, tmp.resolve("work"), targets, Integer.getInteger("atl03.kill.perTarget", 1));
      assertThat(results).extracting(KilledConversions.TargetResult::target).containsExactlyElementsOf(targets);
      for (KilledConversions.TargetResult r : results) {
        assertThat(r.kills()).as(r.target()).noneMatch(k -> k.state().bug);
        assertThat(r.rerunIdentical()).as(r.target() + ": " + r.rerunDetail()).isTrue();
      }
      // the seeded points must actually interrupt conversions, not only land after they finished
      assertThat(results.stream().flatMap(r -> r.kills().stream()))
          .anyMatch(k -> k.state() == KilledConversions.AfterKill.NOTHING_VISIBLE);
    } finally {
      spark.stop();
    }
  }
}
