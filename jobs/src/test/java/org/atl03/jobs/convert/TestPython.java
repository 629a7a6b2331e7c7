package org.atl03.jobs.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atl03.testing.generate.Generator;

/** Runs a script of this module's src/test/python with the generator's python (Debian's h5py, zarr, fsspec). */
final class TestPython {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestPython() {}

  /** The script's output, parsed as JSON. */
  static JsonNode json(String script, String... args) throws IOException, InterruptedException {
    return JSON.readTree(run(script, args));
  }

  static String run(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Generator.DEFAULT_PYTHON,
        Path.of("src/test/python", script).toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command + " failed: " + out);
    }
    return out;
  }
}
