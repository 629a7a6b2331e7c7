package org.atl03.jobs.bench.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atl03.jobs.bench.Timings;

/**
 * How long `./atl03 --help` takes, wall time of a fresh process, as a user sees it when nothing needs installing or
 * building: the launcher's checks, the JVM's start, the command line's help. The launcher is told not to build
 * ({@code ATL03_NO_BUILD}), so a source edited during the run cannot turn a start into a build.
 */
final class LauncherStart {

  static final String NO_BUILD = "ATL03_NO_BUILD";

  private LauncherStart() {}

  /** The launcher of the checkout at {@code root}, or null when there is none (e.g. under spark-submit). */
  static Path launcher(Path root) {
    Path launcher = root.resolve("atl03");
    return Files.isExecutable(launcher) ? launcher : null;
  }

  /** One discarded run (the page cache), then {@code runs} timed ones. */
  static Timings help(Path launcher, int runs) throws IOException, InterruptedException {
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long started = System.nanoTime();
      ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--help")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
      pb.environment().put(NO_BUILD, "1");
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(launcher + " --help failed (exit " + (p.isAlive() ? "none" : p.exitValue())
            + ")");
      }
      if (i > 0) {
        seconds.add((System.nanoTime() - started) / 1e9);
      }
    }
    return new Timings(seconds);
  }
}
