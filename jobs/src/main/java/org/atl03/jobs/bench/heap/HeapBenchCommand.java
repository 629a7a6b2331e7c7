package org.atl03.jobs.bench.heap;

import static org.atl03.jobs.results.Numbers.csvNumber;
import static org.atl03.jobs.results.Numbers.mb;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.bench.BenchGranule;
import org.atl03.jobs.bench.Provenance;
import org.atl03.jobs.results.RunDirectory;
import org.atl03.testing.generate.Layout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Whether a full scan of a large granule fits a small heap: the scan runs in a child JVM started with --heap (Spark's
 * tasks run in it, local master), and the run reports its time and the heap's peak; writes results/DATE-heap-bench/.
 */
@Command(
    name = "heap-bench",
    mixinStandardHelpOptions = true,
    description = {
      "A full scan (the five scanned columns of all six beams, aggregated) of a large granule (synthetic, ~2 GB,",
      "unless --granule is given) in a child JVM whose heap is --heap, on local[2]: completes or not, wall time,",
      "the heap's peak, GC work. Writes RESULTS/<date>-heap-bench/ and indexes it in RESULTS/README.md."
    })
public final class HeapBenchCommand implements Callable<Integer> {

  static final String JOB = "heap-bench";
  /** The target: a full scan of a granule this large completes with the heap at 512 MB. */
  static final long TARGET_GRANULE_BYTES = 2_000_000_000L;

  @Option(names = "--granule", description = "Scan this granule instead of a generated one.")
  Path granule;

  @Option(names = "--photons-per-strong-beam", defaultValue = "24000000",
      description = "Photons per strong beam of the generated granule (default: ${DEFAULT-VALUE}, ~2.2 GB).")
  long photonsPerStrongBeam;

  @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--heap", defaultValue = "512m", description = "The child JVM's -Xmx (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--work", defaultValue = "work/bench", description = "Generated granules are cached here "
      + "(default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--results", defaultValue = "results", description = "Results root (default: ${DEFAULT-VALUE}).")
  Path results;

  @CommandLine.ParentCommand Atl03 atl03;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long heapBytes = heapBytes(heap); // before generating a granule for nothing
    Path file = (granule != null ? granule
        : BenchGranule.obtain(work, photonsPerStrongBeam, seed, Layout.V006, System.out)).toAbsolutePath().normalize();
    long bytes = Files.size(file);
    System.out.printf("== full scan of %s (%s) in a JVM with -Xmx%s, %s%n", file, mb(bytes), heap, master);
    Child child = runChild(file);
    Map<String, Object> provenance = Provenance.collect(atl03.root(), org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        master, spec.commandLine().getParseResult().originalArgs());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("job", JOB);
    json.put("provenance", provenance);
    json.put("granule", BenchGranule.describe(file, bytes, child.photons(), granule == null, photonsPerStrongBeam,
        seed));
    json.put("heap", heap);
    json.put("completed", child.completed());
    json.put("exit_code", child.exitCode());
    json.put("scan", child.result());
    // by the heap asked for: a child that ran out of memory reports no heap of its own
    boolean tested = bytes >= TARGET_GRANULE_BYTES && heapBytes <= 512L << 20;
    String target = !tested ? "not tested by this run (needs a ≥ 2 GB granule and --heap ≤ 512m)"
        : child.completed() ? "met" : "NOT met";
    json.put("target", target);
    String md = markdown(file, bytes, child, target, provenance);
    String summary = child.completed()
        ? String.format(Locale.ROOT, "full scan at -Xmx%s: %s s (cold, then warm), heap peak %s of %s; target %s",
            heap, seconds(child), mb(child.peakHeap()), mb(child.maxHeap()), target)
        : String.format(Locale.ROOT, "full scan at -Xmx%s did not complete (exit %d)", heap, child.exitCode());
    String csv = "heap,granule_bytes,completed,warm_seconds,photons,peak_heap_bytes,live_heap_bytes,max_heap_bytes,"
        + "gc_count,gc_seconds\n"
        + String.join(",", heap, Long.toString(bytes), Boolean.toString(child.completed()),
            csvNumber(child.warmSeconds()), Long.toString(child.photons()), Long.toString(child.peakHeap()),
            Long.toString(child.liveHeap()),
            Long.toString(child.maxHeap()), String.valueOf(child.result().getOrDefault("gc_count", "")),
            String.valueOf(child.result().getOrDefault("gc_seconds", ""))) + "\n";
    Path dir = RunDirectory.writeRun(results, LocalDate.now() + "-" + JOB, json, csv, md,
        new RunDirectory.IndexRow(JOB, mb(bytes), summary));
    System.out.println(summary);
    System.out.printf("results in %s%n", dir);
    return child.completed() ? 0 : 1;
  }

  /** What the child JVM said: its JSON line when it completed, else its exit code and its output's tail. */
  record Child(int exitCode, Map<String, Object> result, String tail) {
    boolean completed() {
      return exitCode == 0 && result.containsKey("photons");
    }

    long photons() {
      return ((Number) result.getOrDefault("photons", 0L)).longValue();
    }

    /** Wall seconds of each run, the first one in a cold JVM. */
    List<Double> seconds() {
      List<Double> seconds = new ArrayList<>();
      if (result.get("seconds") instanceof List<?> values) {
        values.forEach(v -> seconds.add(((Number) v).doubleValue()));
      }
      return seconds;
    }

    /** The last (warm) run's seconds. */
    double warmSeconds() {
      List<Double> seconds = seconds();
      return seconds.isEmpty() ? Double.NaN : seconds.get(seconds.size() - 1);
    }

    long peakHeap() {
      return ((Number) result.getOrDefault("peak_heap_bytes", 0L)).longValue();
    }

    long liveHeap() {
      return ((Number) result.getOrDefault("live_heap_bytes", 0L)).longValue();
    }

    long maxHeap() {
      return ((Number) result.getOrDefault("max_heap_bytes", 0L)).longValue();
    }
  }

  private Child runChild(Path file) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-Xmx") && !arg.startsWith("-Xms") && !arg.startsWith("-agentlib")) {
        command.add(arg); // the module openings Spark needs, logging configuration, atl03.root
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HeapScan.class.getName());
    command.add(file.toString());
    command.add(master);
    Path log = Files.createTempFile("atl03-heap-bench", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(60, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("the heap-bench scan did not end within 60 minutes");
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      Map<String, Object> result = new LinkedHashMap<>();
      for (String line : lines) {
        if (line.startsWith("{\"photons\"")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> parsed = new ObjectMapper().readValue(line, Map.class);
          result = parsed;
        }
      }
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      if (p.exitValue() != 0) {
        System.out.println(tail);
      }
      return new Child(p.exitValue(), result, tail);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** A -Xmx value (512m, 1g, 536870912) in bytes. */
  static long heapBytes(String xmx) {
    String v = xmx.trim().toLowerCase(Locale.ROOT);
    long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      case 't' -> 1L << 40;
      default -> 1;
    };
    try {
      return Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--heap " + xmx + " is not a heap size (e.g. 512m)", e);
    }
  }

  private static String seconds(Child child) {
    return String.join(", ", child.seconds().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
  }

  private String markdown(Path file, long bytes, Child child, String target, Map<String, Object> provenance) {
    StringBuilder md = new StringBuilder("# heap-bench " + LocalDate.now() + "\n\n");
    md.append(String.format(Locale.ROOT, "Granule `%s`: %s, %,d photons. A full scan (count and sums of lat_ph, "
            + "lon_ph, h_ph, delta_time and signal_conf_ph[0] of all six beams: every column decoded) on `%s` in a "
            + "child JVM started with `-Xmx%s`; Spark's tasks run in that JVM. Java %s, Spark %s, %s cores, git %s%s."
            + "%n%n", file, mb(bytes), child.photons(), master, heap, provenance.get("java_version"),
        provenance.get("spark_version"), provenance.get("cores"), provenance.get("git_sha"),
        Boolean.TRUE.equals(provenance.get("git_dirty")) ? " (uncommitted changes)" : ""));
    if (child.completed()) {
      md.append("| completed | wall s (cold, warm) | M photons/s (warm) | heap peak | live after GC | max heap | GCs "
          + "| GC s |\n");
      md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      md.append(String.format(Locale.ROOT, "| yes | %s | %.2f | %s | %s | %s | %s | %s |%n", seconds(child),
          child.photons() / child.warmSeconds() / 1e6, mb(child.peakHeap()), mb(child.liveHeap()),
          mb(child.maxHeap()),
          child.result().get("gc_count"), child.result().get("gc_seconds")));
      md.append("\nThe scan runs twice in the child JVM: the first pays for its warm-up (the JIT compiling the scan's "
          + "code), the second shows the steady state. GC counts and seconds cover both.\n");
      md.append("\nFrom the garbage collector's accounts: the heap peak is the most in use just before a collection "
          + "(garbage included), live after GC the most still in use just after one (what the scan held).\n");
    } else {
      md.append(String.format(Locale.ROOT, "**The scan did not complete** (exit code %d). The child's last lines:"
          + "%n%n```%n%s%n```%n", child.exitCode(), child.tail()));
    }
    md.append(String.format(Locale.ROOT, "%nTarget: a full scan of a ≥ 2 GB granule completes with the heap at 512 "
        + "MB: %s.%n", target));
    return md.toString();
  }
}
