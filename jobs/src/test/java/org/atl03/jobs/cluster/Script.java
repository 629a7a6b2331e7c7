package org.atl03.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the project's scripts and stops it, and every process it started, when it overruns its time. */
final class Script {

  record Result(int exitCode, String stdout, String stderr) {
    String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private Script() {}

  static Path root() {
    return Path.of(System.getProperty("atl03.root", "..")).toAbsolutePath().normalize();
  }

  static Result run(Duration timeout, Map<String, String> env, Path logDir, String... command)
      throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    Path out = logDir.resolve("stdout.txt");
    Path err = logDir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", command) + " still running after " + timeout + "; stopped. "
            + "stderr so far:\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
    } finally {
      stop(process);
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * SIGTERM first (the scripts' traps stop what they started), then SIGKILL to whatever of its process tree is
   * left; the tree is read before anything is signalled, since orphans leave it.
   */
  private static void stop(Process process) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    if (process.isAlive()) {
      process.destroy();
      process.waitFor(20, TimeUnit.SECONDS);
    }
    for (ProcessHandle handle : tree) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
      }
    }
  }
}
