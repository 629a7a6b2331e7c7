package org.atl03.datasource;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;

/** Locates test data: the shared real files (system property atl03.fixtures) and the generated edge cases. */
public final class Fixtures {

  private static final String PYTHON = "/usr/bin/python3";

  private Fixtures() {
  }

  /** A file under the shared fixtures folder, e.g. {@code atl03/ATL03_gt1l.h5}; skips the test when absent. */
  public static Path shared(String relative) {
    String root = System.getProperty("atl03.fixtures");
    assumeTrue(root != null, "system property atl03.fixtures is not set (Surefire sets it): skipping real-data test");
    Path p = Paths.get(root, relative);
    assumeTrue(Files.isRegularFile(p), "shared fixture " + p + " is absent: skipping real-data test");
    return p;
  }

  public static JsonNode json(Path p) throws IOException {
    return new ObjectMapper().readTree(p.toFile());
  }

  public static InputFile open(Path p) throws IOException {
    return HadoopInputFile.open(new org.apache.hadoop.fs.Path(p.toUri()), new Configuration());
  }

  /**
   * Runs src/test/python/make_edge_case_fixtures.py into {@code dir}; skips the test when /usr/bin/python3 or its
   * h5py is missing.
   */
  public static Path edgeCases(Path dir) throws IOException, InterruptedException {
    assumeTrue(new File(PYTHON).canExecute(), PYTHON + " is absent: skipping edge-case tests");
    Process probe = new ProcessBuilder(PYTHON, "-c", "import h5py, numpy").redirectErrorStream(true).start();
    probe.getInputStream().readAllBytes();
    assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
        PYTHON + " has no h5py/numpy (apt install python3-h5py): skipping edge-case tests");
    Path script = moduleDir().resolve("src/test/python/make_edge_case_fixtures.py");
    Process p = new ProcessBuilder(PYTHON, script.toString(), dir.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("make_edge_case_fixtures.py failed:\n" + output);
    }
    return dir;
  }

  private static Path moduleDir() {
    Path here = Paths.get("").toAbsolutePath(); // Surefire runs in the module directory
    if (Files.isDirectory(here.resolve("src/test/python"))) {
      return here;
    }
    return Paths.get(System.getProperty("atl03.root", "."), "datasource");
  }
}
