package org.atl03.jobs.bench.matrix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atl03.jobs.bench.Directories;
import org.atl03.testing.python.BundledPython;

/**
 * The report's PNG charts, drawn from results.json by the bundled {@code bench_charts.py} with Debian's
 * python3-matplotlib (installed by bin/ensure-system-deps). Without matplotlib the report says so and has none.
 */
final class BenchCharts {

  static final String SCRIPT = "bench_charts.py";
  private static volatile String lastProblem = "";

  private BenchCharts() {}

  static String lastProblem() {
    return lastProblem;
  }

  /** Draws chart-Q*.png into {@code dir} (which holds results.json); returns the file names written. */
  static List<String> draw(Path dir, PrintStream out) throws IOException {
    String python = BundledPython.python();
    String missing = PythonPeer.missingModules(python, List.of("matplotlib"));
    if (missing != null) {
      lastProblem = missing;
      out.println("charts: not drawn: " + missing);
      return List.of();
    }
    Path tmp = Files.createTempDirectory("atl03-bench-charts");
    try {
      Path script = BundledPython.extract(tmp, SCRIPT);
      Process p = new ProcessBuilder(python, script.toString(), dir.resolve("results.json").toString(),
          dir.toString()).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = BundledPython.reader(p.getInputStream())) {
        r.lines().forEach(lines::add);
      }
      int exit = p.waitFor();
      if (exit != 0) {
        lastProblem = SCRIPT + " exited with " + exit + ": " + String.join("\n", lines);
        out.println("charts: " + lastProblem);
        return List.of();
      }
      try (Stream<Path> files = Files.list(dir)) {
        return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("chart-") && n.endsWith(".png"))
            .sorted().toList();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while drawing charts", e);
    } finally {
      Directories.deleteQuietly(tmp);
    }
  }
}
