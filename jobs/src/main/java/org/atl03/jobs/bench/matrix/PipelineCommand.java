package org.atl03.jobs.bench.matrix;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The README's main command: generate → convert → bench on the small default matrix (conf/bench-default.json). */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    defaultValueProvider = PipelineCommand.Work.class,
    description = {
      "End to end on local Spark: generate synthetic granules (unless GRANULES are given), convert them to every",
      "format, and run the benchmark matrix of --config (default conf/bench-default.json: every reader x format,",
      "Q1-Q6, 3 repetitions) with checksum agreement; writes RESULTS/<date>-<label>/. Same as `bench` with",
      "--work work/pipeline."
    })
public final class PipelineCommand extends BenchCommand {

  /** `bench` itself, with its generated granules and conversions in work/pipeline (bench: work/bench-matrix). */
  static final class Work implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
      return arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--work") ? "work/pipeline" : null;
    }
  }
}
