package org.atl03.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.atl03.jobs.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The README's main command: end to end on the embedded default (synthetic granules when none are given). */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "End to end on local Spark: generate synthetic granules (unless GRANULES are given), then scan them.",
    })
final class PipelineCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "GRANULES", description = "Real granules, directories or globs.")
  List<String> granules = new ArrayList<>();

  @Option(
      names = "--work",
      defaultValue = "work/pipeline",
      description = "Working directory for generated granules (default: ${DEFAULT-VALUE}).")
  Path work;

  @Mixin SyntheticGranuleOptions synthetic;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    List<String> inputs = new ArrayList<>(granules);
    if (inputs.isEmpty()) {
      Path out = work.resolve("granules");
      System.out.printf("== generate: %d synthetic granule(s) into %s%n", synthetic.granules, out);
      for (Path file : Generator.generate(synthetic.into(out))) {
        inputs.add(file.toAbsolutePath().toString());
      }
    }
    System.out.printf("== scan: %d input(s)%n", inputs.size());
    return spark.run("atl03 pipeline", session -> BeamSummaries.scanAndPrint(session, inputs, null, System.out));
  }
}
