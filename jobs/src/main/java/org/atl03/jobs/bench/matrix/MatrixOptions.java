package org.atl03.jobs.bench.matrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of `bench` and `pipeline`: the config file and the command line's overrides of it. */
final class MatrixOptions {

  @Option(names = "--config", defaultValue = "conf/bench-default.json",
      description = "Benchmark config (JSON; default: ${DEFAULT-VALUE}; conf/bench-full.json is the large one).")
  Path config;

  @Option(names = "--results", defaultValue = "results",
      description = "Results root: the run goes to RESULTS/<date>-<label>/ (default: ${DEFAULT-VALUE}).")
  Path results;

  @Option(names = "--label", description = "Overrides the config's label (the results directory's suffix).")
  String label;

  @Option(names = "--repetitions", description = "Overrides the config's repetitions per cell.")
  Integer repetitions;

  @Option(names = "--queries", split = ",", description = "Overrides the config's queries (Q1..Q6).")
  List<String> queries;

  @Option(names = "--readers", split = ",", description = "Overrides the config's readers.")
  List<String> readers;

  @Option(names = "--formats", split = ",", description = "Overrides the config's formats.")
  List<String> formats;

  @Option(names = "--no-drop-caches", description = "Do not drop the OS page cache before cold repetitions.")
  boolean noDropCaches;

  @Option(names = "--no-crossover",
      description = "Skip the config's crossover (one beam of single granules of growing size, its own granules).")
  boolean noCrossover;

  @Option(names = "--reuse-converted",
      description = "Use the conversions already in WORK/converted instead of converting afresh.")
  boolean reuseConverted;

  /** The config with the overrides; a relative path is looked up in the project root too (./atl03 sets it). */
  BenchConfig load(Path root, String masterOverride) throws java.io.IOException {
    Path file = config;
    if (!Files.exists(file) && !file.isAbsolute()) {
      file = root.resolve(file);
    }
    return BenchConfig.read(file).with(label, repetitions, queries, readers, formats, masterOverride,
        noDropCaches ? Boolean.FALSE : null, !noCrossover);
  }
}
