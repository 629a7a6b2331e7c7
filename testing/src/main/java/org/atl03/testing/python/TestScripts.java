package org.atl03.testing.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of the testing module's caller's {@code src/test/python} (tests run in their module's directory)
 * with the bundled scripts' python (Debian's h5py, zarr, fsspec): the independent readers tests check against.
 */
public final class TestScripts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestScripts() {}

  /** The script's standard output, parsed as JSON. */
  public static JsonNode json(String script, String... args) throws IOException, InterruptedException {
    return JSON.readTree(run(script, args));
  }

  /** The script's standard output; fails with it when the script fails or runs over two minutes. */
  public static String run(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BundledPython.python(),
        Path.of("src/test/python", script).toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " failed: " + out);
    }
    return out;
  }
}
