package org.atl03.jobs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atl03.testing.python.BundledPython;

/**
 * A report's PNG charts, drawn from its results.json by a bundled script (src/main/python) with Debian's
 * python3-matplotlib (installed by bin/ensure-system-deps). Without matplotlib the report says so and has none.
 */
public final class Charts {

  private static volatile String lastProblem = "";

  private Charts() {}

  /** Why the last {@link #draw} drew nothing, or "". */
  public static String lastProblem() {
    return lastProblem;
  }

  /**
   * Runs {@code script RESULTS.json DIR}, which draws chart-*.png into {@code dir} (which holds results.json);
   * returns the file names written.
   */
  public static List<String> draw(String script, Path dir, PrintStream out) throws IOException {
    lastProblem = "";
    String python = BundledPython.python();
    String missing = BundledPython.missingModules(python, List.of("matplotlib"));
    if (missing != null) {
      lastProblem = missing;
      out.println("charts: not drawn: " + missing);
      return List.of();
    }
    Path tmp = Files.createTempDirectory("atl03-bench-charts");
    try {
      Path extracted = BundledPython.extract(tmp, script);
      Process p = new ProcessBuilder(python, extracted.toString(), dir.resolve("results.json").toString(),
          dir.toString()).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = BundledPython.reader(p.getInputStream())) {
        r.lines().forEach(lines::add);
      }
      int exit = p.waitFor();
      if (exit != 0) {
        lastProblem = script + " exited with " + exit + ": " + String.join("\n", lines);
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
