package org.atl03.jobs.reliability;

import java.nio.file.Path;
import java.util.List;

/** Runs the fuzz harness from a shell, for reproducing one case: FuzzMain FIXTURES WORKDIR SEED SECONDS [CASE]. */
public final class FuzzMain {
  private FuzzMain() {}

  public static void main(String[] args) throws Exception {
    org.apache.logging.log4j.core.config.Configurator.setLevel("io.jhdf", org.apache.logging.log4j.Level.OFF);
    org.apache.logging.log4j.core.config.Configurator.setLevel("org.atl03", org.apache.logging.log4j.Level.ERROR);
    Path fixtures = Path.of(args[0]);
    Path synthetic = args.length > 5 ? Path.of(args[5]) : null;
    List<FuzzTarget> targets = FuzzTargets.of(fixtures, synthetic, Path.of(args[1]));
    if (System.getProperty("atl03.fuzz.target") != null) {
      targets = targets.stream().filter(t -> t.name().contains(System.getProperty("atl03.fuzz.target"))).toList();
    }
    FuzzHarness.Result r = new FuzzHarness(Long.parseLong(args[2]), 10_000, System.out::println)
        .run(targets, 1_000_000, Long.parseLong(args[3]) * 1000, args.length > 4 ? Integer.parseInt(args[4]) : -1);
    System.out.println(r.cases() + " cases " + FuzzHarness.totals(r));
    r.failures().forEach(System.out::println);
    System.exit(0);
  }
}
