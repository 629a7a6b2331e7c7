package org.atl03.jobs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.atl03.testing.python.BundledPython;

/** Where a result comes from: code version, JVM, Spark, machine, time. */
public final class Provenance {

  private Provenance() {}

  public static Map<String, Object> collect(Path root, String sparkVersion, String master, List<String> args) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("timestamp", OffsetDateTime.now().toString());
    p.put("git_sha", git(root, "rev-parse", "HEAD"));
    String status = git(root, "status", "--porcelain", "--untracked-files=no");
    p.put("git_dirty", status == null ? null : !status.isBlank());
    p.put("java_version", System.getProperty("java.version"));
    p.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    p.put("jvm_max_heap_bytes", Runtime.getRuntime().maxMemory());
    p.put("jvm_arguments", redacted(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("--add-opens")).collect(Collectors.toList())));
    p.put("spark_version", sparkVersion);
    p.put("spark_master", master);
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    p.put("cores", Runtime.getRuntime().availableProcessors());
    p.put("memory_bytes", physicalMemory());
    p.put("load_average_before", loadAverage());
    p.put("arguments", redacted(args));
    return p;
  }

  /** Spark's default spark.redaction.regex, and "credential": names whose values are secrets. */
  static final java.util.regex.Pattern SECRET_NAME =
      java.util.regex.Pattern.compile("(?i)secret|password|token|access[.]key|credential");
  static final String REDACTED = "*********(redacted)";

  /**
   * Arguments as results may show them: the value of a {@code name=value} whose name looks secret
   * ({@code --conf spark.hadoop.fs.s3a.secret.key=…}, {@code -D…token=…}) and the argument after an option whose
   * name does ({@code --token …}) are replaced, as Spark's UI redacts its settings.
   */
  static List<String> redacted(List<String> args) {
    List<String> out = new java.util.ArrayList<>(args.size());
    boolean nextIsSecret = false;
    for (String a : args) {
      int eq = a.indexOf('=');
      if (nextIsSecret) {
        out.add(REDACTED);
        nextIsSecret = false;
      } else if (eq > 0 && SECRET_NAME.matcher(a.substring(0, eq)).find()) {
        out.add(a.substring(0, eq + 1) + REDACTED);
      } else {
        out.add(a);
        nextIsSecret = eq < 0 && a.startsWith("-") && SECRET_NAME.matcher(a).find();
      }
    }
    return out;
  }

  /**
   * /proc/loadavg's 1-, 5- and 15-minute load, or null off Linux: other work on a shared machine slows every
   * measurement, so each run records how busy the machine was.
   */
  public static String loadAverage() {
    try {
      String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return null;
  }

  /** A git command's trimmed output in {@code root}, or null when git or the repository is unavailable. */
  private static String git(Path root, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out;
      try (BufferedReader reader = BundledPython.reader(process.getInputStream())) {
        out = reader.lines().collect(Collectors.joining("\n")).trim();
      }
      return process.waitFor() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
