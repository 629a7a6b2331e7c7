package org.atl03.jobs.reliability;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an {@code atl03} job in a child JVM (this JVM's java, class path and --add-opens), so that it can be killed
 * with SIGKILL at any point: no shutdown hook or finally block of its own runs.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /** Starts {@code atl03 ARGS...} with its output appended to {@code log}. */
  public static Process atl03(List<String> args, File log) throws IOException {
    return atl03("2g", args, log);
  }

  /** As {@link #atl03(List, File)} with a heap of {@code maxHeap} (-Xmx). */
  public static Process atl03(String maxHeap, List<String> args, File log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.atl03.jobs.Atl03"));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
  }

  /** Kills the process and the processes it started (h5repack: found while its parent lives), and waits. */
  public static void kill(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    p.waitFor();
    children.forEach(ProcessHandle::destroyForcibly); // or they write on after their parent died
  }
}
