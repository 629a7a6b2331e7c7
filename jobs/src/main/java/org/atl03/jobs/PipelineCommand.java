package org.atl03.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.atl03.jobs.bench.BenchMatrix;
import org.atl03.jobs.bench.MatrixOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The README's main command: generate → convert → bench on the small default matrix (conf/bench-default.json). */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "End to end on local Spark: generate synthetic granules (unless GRANULES are given), convert them to every",
      "format, and run the benchmark matrix of --config (default conf/bench-default.json: every reader x format,",
      "Q1-Q6, 3 repetitions) with checksum agreement; writes RESULTS/<date>-<label>/. Same as `bench` with",
      "--work work/pipeline."
    })
final class PipelineCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "GRANULES", description = "Real granules, directories or globs.")
  List<String> granules = new ArrayList<>();

  @Option(
      names = "--work",
      defaultValue = "work/pipeline",
      description = "Working directory for generated granules and conversions (default: ${DEFAULT-VALUE}).")
  Path work;

  @Mixin MatrixOptions matrix;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String master = spec.commandLine().getParseResult().hasMatchedOption("--master")
        ? spec.findOption("--master").getValue() : null;
    return BenchMatrix.run(matrix, spark, master, work, granules,
        spec.commandLine().getParseResult().originalArgs(), System.out);
  }
}
