package org.atl03.jobs.reliability;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.jobs.convert.Conversion;
import org.atl03.jobs.convert.ConvertCommand;
import org.atl03.jobs.verify.PhotonChecksums;

/**
 * Kills {@code atl03 convert} with SIGKILL at seeded random points and checks, for each target, that after every
 * kill the output directory holds either nothing a reader takes or a complete output identical to an
 * uninterrupted run's, and that rerunning on top of whatever the kills left gives an identical output. Each
 * conversion runs in a child JVM (this JVM's java, classpath and --add-opens); outputs are compared by photon
 * count and checksums of delta_time, lat_ph, lon_ph and h_ph read back through the target's own reader.
 */
public final class KilledConversions {

  static final List<String> COLUMNS = List.of("delta_time", "lat_ph", "lon_ph", "h_ph");

  /** What one kill left. */
  public enum AfterKill {
    NOTHING_VISIBLE(false), COMPLETE_AND_IDENTICAL(false), PARTIAL_OR_WRONG(true), EXITED_BEFORE_KILL(false);

    public final boolean bug;

    AfterKill(boolean bug) {
      this.bug = bug;
    }
  }

  public record Kill(String target, int number, long delayMillis, AfterKill state, long photonsVisible,
                     List<String> leftovers) {}

  public record TargetResult(String target, long referencePhotons, List<Kill> kills, boolean rerunIdentical,
                             String rerunDetail) {}

  private final SparkSession spark;
  private final long seed;
  private final Consumer<String> log;

  public KilledConversions(SparkSession spark, long seed, Consumer<String> log) {
    this.spark = spark;
    this.seed = seed;
    this.log = log;
  }

  /**
   * For each target: {@code kills} runs killed after a seeded delay in [0, maxDelay) (the target's uninterrupted
   * run time plus a second, so kills fall before, during and after the commit), then one run to completion.
   */
  public List<TargetResult> run(Path granule, Path workDir, List<String> targets, int kills) throws Exception {
    Path reference = workDir.resolve("reference");
    // references name the granule by its absolute path: allow reading it from wherever they are written
    spark.conf().set(org.atl03.datasource.io.HadoopSettings.REFS_ALLOWED_PREFIXES, granule.getParent().toString());
    List<TargetResult> results = new ArrayList<>();
    for (String target : targets) {
      Conversion conversion = ConvertCommand.registered().get(target);
      if (conversion == null) {
        throw new IllegalArgumentException("unknown conversion target " + target);
      }
      long started = System.nanoTime();
      int exit = convert(target, granule, reference).waitFor();
      long runMillis = (System.nanoTime() - started) / 1_000_000;
      if (exit != 0) {
        throw new IllegalStateException("the uninterrupted " + target + " conversion failed (exit " + exit + ")");
      }
      PhotonChecksums.Result expected = read(conversion, reference.toString());
      if (expected == null || expected.photons() == 0) {
        throw new IllegalStateException("the uninterrupted " + target + " conversion left nothing readable");
      }
      Path out = workDir.resolve("killed-" + target);
      Random rnd = new Random(seed * 31 + target.hashCode());
      List<Kill> done = new ArrayList<>();
      for (int k = 0; k < kills; k++) {
        long delay = (long) (rnd.nextDouble() * (runMillis + 1000));
        Process p = convert(target, granule, out);
        boolean exited = p.waitFor(delay, TimeUnit.MILLISECONDS);
        if (!exited) {
          ChildJvm.kill(p);
        }
        PhotonChecksums.Result seen = read(conversion, out.toString());
        AfterKill state = exited ? AfterKill.EXITED_BEFORE_KILL
            : seen == null || seen.photons() == 0 ? AfterKill.NOTHING_VISIBLE
            : seen.equals(expected) ? AfterKill.COMPLETE_AND_IDENTICAL : AfterKill.PARTIAL_OR_WRONG;
        Kill kill = new Kill(target, k, delay, state, seen == null ? 0 : seen.photons(), leftovers(out));
        done.add(kill);
        log.accept(String.format("kill %s #%d after %d ms (uninterrupted run %d ms): %s, %d photons visible, "
            + "leftovers %s", target, k, delay, runMillis, state, kill.photonsVisible(), kill.leftovers()));
      }
      int rerun = convert(target, granule, out).waitFor();
      PhotonChecksums.Result after = rerun == 0 ? read(conversion, out.toString()) : null;
      boolean identical = after != null && after.equals(expected);
      String detail = rerun != 0 ? "rerun exited " + rerun
          : identical ? after.photons() + " photons, checksums identical"
          : "differs: " + (after == null ? "unreadable" : after.photons() + " photons vs " + expected.photons());
      log.accept("rerun " + target + " after the kills: " + detail);
      results.add(new TargetResult(target, expected.photons(), done, identical, detail));
    }
    return results;
  }

  /** The photons a reader of the target takes from {@code out}, or null when it finds no output there. */
  private PhotonChecksums.Result read(Conversion conversion, String out) {
    try {
      Dataset<Row> photons = conversion.read(spark, out);
      return PhotonChecksums.of(photons, COLUMNS);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, and thrown anyway
      for (Throwable t = e; t != null; t = t.getCause()) {
        String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (t instanceof java.io.FileNotFoundException || m.contains("no such file") || m.contains("does not exist")
            || m.contains("unable to infer schema") || m.contains("not a delta table")) {
          return null; // no output at the final path: what a killed run must leave if it leaves nothing whole
        }
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Names left in {@code out} besides final outputs: temporary and partial files of killed runs. */
  private static List<String> leftovers(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(out, 2)) {
      walk.map(p -> out.relativize(p).toString())
          .filter(n -> n.contains("_tmp") || n.contains(".partial") || n.contains(".tmp") || n.contains("_old"))
          .forEach(names::add);
    }
    return names;
  }

  private static Process convert(String target, Path granule, Path out) throws IOException {
    Files.createDirectories(out);
    File log = out.resolveSibling(out.getFileName() + "-" + target + ".log").toFile();
    return ChildJvm.atl03(List.of("convert", "--to", target, "--in", granule.toString(), "--out", out.toString(),
        "--master", "local[2]"), log);
  }
}
