package org.atl03.jobs.bench.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atl03.jobs.bench.Directories;
import org.atl03.jobs.bench.Timings;
import org.atl03.testing.python.BundledPython;

/**
 * The h5py baseline: the bundled {@code bench_h5py_scan.py} reads the same datasets of every beam whole, in one
 * python process (warm-ups and repetitions inside it), timing only the reads. h5py reads on a single thread.
 */
final class H5pyScan {

  static final String SCRIPT = "bench_h5py_scan.py";

  /** What the script reported: read seconds per repetition, photons, library versions. */
  record Result(Timings timings, long photons, JsonNode report) {}

  private H5pyScan() {}

  static Result run(Path granule, List<String> beams, List<String> datasets, int warmups, int repetitions)
      throws IOException, InterruptedException {
    String python = BundledPython.python();
    BundledPython.checkPython(python);
    Path dir = Files.createTempDirectory("atl03-bench-h5py");
    try {
      Path script = BundledPython.extract(dir, SCRIPT);
      Process process = new ProcessBuilder(python, script.toString(), granule.toAbsolutePath().toString(),
          "--beams", String.join(",", beams), "--datasets", String.join(",", datasets),
          "--warmups", Integer.toString(warmups), "--repetitions", Integer.toString(repetitions))
          .redirectErrorStream(true)
          .start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader reader = BundledPython.reader(process.getInputStream())) {
        reader.lines().forEach(lines::add);
      }
      int exit = process.waitFor();
      if (exit != 0 || lines.isEmpty()) {
        throw new IllegalStateException(SCRIPT + " exited with " + exit + ":\n" + String.join("\n", lines));
      }
      JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
      List<Double> seconds = new ArrayList<>();
      report.get("seconds").forEach(s -> seconds.add(s.asDouble()));
      return new Result(new Timings(seconds), report.get("photons").asLong(), report);
    } finally {
      Directories.deleteQuietly(dir);
    }
  }
}
