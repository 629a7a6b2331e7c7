package org.atl03.jobs.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.atl03.testing.generate.Layout;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The options of scan-bench, cloud-bench and convert-bench: which granule, how often to measure, where results go. */
public final class BenchOptions {

  @Option(names = "--granule", description = "Benchmark this granule instead of a generated one.")
  Path granule;

  @Option(names = "--photons-per-strong-beam", defaultValue = "5000000",
      description = "Photons per strong beam of the generated granule (default: ${DEFAULT-VALUE}, ~490 MB).")
  long photonsPerStrongBeam;

  @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work", defaultValue = "work/bench",
      description = "Generated granules are cached here, keyed by their parameters, and outputs written below "
          + "(default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--results", defaultValue = "results",
      description = "Results root: the run goes to RESULTS/<date>-<job>/ (default: ${DEFAULT-VALUE}).")
  Path results;

  @Option(names = "--warmups", defaultValue = "1", description = "Warm-up runs per measurement (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--repetitions", defaultValue = "3",
      description = "Measured runs per measurement (default: ${DEFAULT-VALUE}); the median is reported.")
  int repetitions;

  @Option(names = "--bbox-fraction", defaultValue = "0.01",
      description = "Photons of the granule the bbox is chosen to hold, along one beam (default: ${DEFAULT-VALUE}).")
  double bboxFraction;

  @Option(names = "--bbox-beam", defaultValue = "gt1l",
      description = "The beam whose track the bbox follows (default: ${DEFAULT-VALUE}).")
  String bboxBeam;

  /** The master of scan-, cloud- and convert-bench unless --master is given: two cores, like the machine's. */
  public static final String DEFAULT_MASTER = "local[2]";

  public void validate(CommandLine.Model.CommandSpec spec) {
    if (repetitions < 1 || warmups < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--repetitions must be >= 1, --warmups >= 0");
    }
  }

  public boolean generated() {
    return granule == null;
  }

  /** The granule to benchmark: --granule, or the cached (or freshly generated) synthetic one. */
  public Path granuleFile(PrintStream out) {
    Path file = generated() ? BenchGranule.obtain(work, photonsPerStrongBeam, seed, Layout.V006, out) : granule;
    return file.toAbsolutePath().normalize();
  }

  /** The granule's part of the provenance: which file, how big, and how it was generated if it was. */
  public Map<String, Object> describeGranule(Path file, long bytes, long photons) {
    return BenchGranule.describe(file, bytes, photons, generated(), photonsPerStrongBeam, seed);
  }

  /** Measures {@code run} as these options say: --warmups discarded calls, then --repetitions timed ones. */
  public <T> Timings.Measured<T> measure(Timings.Run<T> run) throws Exception {
    return Timings.measure(warmups, repetitions, run);
  }

  public long photonsPerStrongBeam() {
    return photonsPerStrongBeam;
  }

  public long seed() {
    return seed;
  }

  public Path work() {
    return work;
  }

  public Path results() {
    return results;
  }

  public int warmups() {
    return warmups;
  }

  public int repetitions() {
    return repetitions;
  }

  public double bboxFraction() {
    return bboxFraction;
  }

  public String bboxBeam() {
    return bboxBeam;
  }
}
