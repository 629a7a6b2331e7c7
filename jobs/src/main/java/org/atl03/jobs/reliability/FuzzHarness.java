package org.atl03.jobs.reliability;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

/**
 * A seeded mutation harness: for each target, mutants made from {@code seed} and the case number (so any case is
 * reproduced alone from the two), each read under a watchdog (a read running past {@code timeoutMillis}, or 25 times
 * the unmutated read's time when that is longer, is a hang)
 * and an allocation guard (a read allocating more than {@link #allocationLimit} is trusting a size the file does
 * not back). Every outcome is classified: the same values as the unmutated file, a clean error (one of the
 * reader's error types, naming the file), changed values without error (allowed only where the format has no
 * checksum), or a BUG.
 */
public final class FuzzHarness {

  /** What a mutant's read gave. */
  public enum Outcome {
    IDENTICAL(false, "same rows and values as the unmutated file (the mutation hit unused bytes)"),
    CLEAN_ERROR(false, "an error of the reader's own types naming the file"),
    CHANGED_DATA(false, "no error, same rows, different values: the mutation touched only chunk data bytes, "
        + "which HDF5 stores without checksum (deflated chunks are checked by zlib's Adler-32)"),
    CHANGED_METADATA(false, "no error, same photon rows per beam, different values or dataset shapes: the "
        + "mutation changed what the file states (a type, fill value, attribute, name, a dataset outside the scan)"),
    BEAM_DROPPED(false, "no error; a whole beam no longer present (its group name or link changed) and every other "
        + "beam identical: the file no longer names that beam"),
    BUG_ROWS(true, "no error, but a beam's photon rows differ from the unmutated file's: silent loss or invention"),
    BUG_EXCEPTION(true, "an exception of an unexpected type (NPE, IndexOutOfBounds …) or not naming the file"),
    BUG_CRASH(true, "an Error: OutOfMemoryError, StackOverflowError …"),
    BUG_HANG(true, "no answer within the watchdog timeout"),
    BUG_ALLOCATION(true, "allocated more than the allocation limit: a size from the file trusted beyond its bytes");

    public final boolean bug;
    public final String meaning;

    Outcome(boolean bug, String meaning) {
      this.bug = bug;
      this.meaning = meaning;
    }
  }

  /** One case that went wrong, with what reproduces it. */
  public record Failure(String target, long seed, int caseNumber, Outcome outcome, String mutation, String detail) {
    @Override
    public String toString() {
      return outcome + " " + target + " case " + caseNumber + " (seed " + seed + "): " + mutation + " -> " + detail
          + "\n  reproduce: -Datl03.fuzz.seed=" + seed + " -Datl03.fuzz.case=" + caseNumber;
    }
  }

  /** Per-target results. */
  public record TargetResult(String target, int cases, Map<Outcome, Integer> outcomes, long maxAllocatedBytes,
                             long baselineAllocatedBytes, long millis) {}

  public record Result(long seed, List<TargetResult> targets, List<Failure> failures,
                       Map<String, Integer> cleanErrorTypes) {
    public int cases() {
      return targets.stream().mapToInt(TargetResult::cases).sum();
    }

    public int bugs() {
      return (int) failures.stream().filter(f -> f.outcome().bug).count();
    }
  }

  private final long seed;
  private final long timeoutMillis;
  private final ExecutorService[] worker = new ExecutorService[1];
  private final List<Failure> failures = new ArrayList<>();
  private final Map<String, Integer> cleanErrorTypes = new java.util.TreeMap<>();
  private final java.util.function.Consumer<String> log;

  public FuzzHarness(long seed, long timeoutMillis, java.util.function.Consumer<String> log) {
    this.seed = seed;
    this.timeoutMillis = timeoutMillis;
    this.log = log;
    this.worker[0] = newWorker();
  }

  /**
   * Runs cases {@code [0, maxCases)} of each target, stopping a target early when its share of {@code millis}
   * is spent; {@code onlyCase} >= 0 runs that case alone.
   */
  public Result run(List<FuzzTarget> targets, int maxCases, long millis, int onlyCase) throws Exception {
    return run(targets, target -> maxCases, millis, onlyCase);
  }

  /**
   * Runs cases {@code [0, casesOf(target))} of each target, {@code millis} shared as in {@link #run(List, int,
   * long, int)}. With a time limit only as a safety net, the cases run do not depend on the machine's speed.
   */
  public Result run(List<FuzzTarget> targets, ToIntFunction<FuzzTarget> casesOf, long millis, int onlyCase)
      throws Exception {
    List<TargetResult> results = new ArrayList<>();
    try {
      double weights = targets.stream().mapToDouble(FuzzHarness::weight).sum();
      for (FuzzTarget target : targets) {
        results.add(runTarget(target, casesOf.applyAsInt(target), (long) (millis * weight(target) / weights),
            onlyCase));
      }
    } finally {
      worker[0].shutdownNow();
    }
    return new Result(seed, results, List.copyOf(failures), Map.copyOf(cleanErrorTypes));
  }

  /**
   * A target's share of the time: the HDF5 granules most (the largest parser surface, jhdf's), references with
   * data next, parse-only references and FlatGeobuf files least (small parsers, fast cases).
   */
  private static double weight(FuzzTarget target) {
    return byKind(target, 4, 2, 1);
  }

  /**
   * A fixed number of cases per target by its kind, roughly equal time each on one machine (an HDF5 case reads a
   * granule, a FlatGeobuf or parse-only case a few KB): the CI budget, so that CI runs exactly the cases a run
   * here ran.
   */
  public static ToIntFunction<FuzzTarget> fixedCases(int hdf5, int refs, int small) {
    return target -> (int) byKind(target, hdf5, refs, small);
  }

  private static double byKind(FuzzTarget target, double hdf5, double refs, double small) {
    String name = target.name();
    return name.startsWith("hdf5:") ? hdf5 : name.startsWith("refs:") ? refs : small;
  }

  private TargetResult runTarget(FuzzTarget target, int maxCases, long millis, int onlyCase) throws Exception {
    long start = System.currentTimeMillis();
    Timed base = timed(() -> target.read(target.original()), 10 * 60_000L);
    if (base.error != null) {
      throw new IllegalStateException(target.name() + ": the unmutated file does not read: " + base.error, base.error);
    }
    FuzzTarget.Observation baseline = base.observation;
    long limit = allocationLimit(base.allocated);
    // a hang is judged against this machine's pace: on a loaded shared machine an ordinary read can take seconds
    long timeout = Math.max(timeoutMillis, 25 * base.millis);
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    long maxAllocated = 0;
    int cases = 0;
    for (int c = onlyCase >= 0 ? onlyCase : 0; c < (onlyCase >= 0 ? onlyCase + 1 : maxCases); c++) {
      if (onlyCase < 0 && System.currentTimeMillis() - start > millis) {
        break;
      }
      Random rnd = new Random(seed * 1_000_003L + c * 7919L + target.name().hashCode());
      Mutation m = target.mutate(rnd);
      Timed t = timed(() -> target.read(m.result()), timeout);
      Outcome outcome = classify(target, baseline, m, t, limit);
      maxAllocated = Math.max(maxAllocated, t.allocated);
      outcomes.merge(outcome, 1, Integer::sum);
      cases++;
      if (outcome.bug) {
        Failure f = new Failure(target.name(), seed, c, outcome, m.description(), detail(t, limit));
        failures.add(f);
        log.accept(f.toString());
      } else if (outcome == Outcome.CLEAN_ERROR) {
        cleanErrorTypes.merge(t.error.getClass().getSimpleName(), 1, Integer::sum);
      }
    }
    long elapsed = System.currentTimeMillis() - start;
    log.accept(String.format("%s: %d cases in %.1f s: %s", target.name(), cases, elapsed / 1000.0, outcomes));
    return new TargetResult(target.name(), cases, outcomes, maxAllocated, base.allocated, elapsed);
  }

  /**
   * Eight times what the unmutated file's read allocates, plus 256 MiB: room for legitimately different paths
   * (an error path, 64 MiB of fill values a shape may state without stored chunks, widened to doubles), far
   * below what trusting an absurd size or count costs.
   */
  static long allocationLimit(long baseline) {
    return 8 * baseline + (256L << 20);
  }

  private static String detail(Timed t, long limit) {
    if (t.timedOut) {
      return "no answer after the watchdog timeout (" + t.millis + " ms)";
    }
    if (t.allocated > limit) {
      return "allocated " + t.allocated + " bytes, limit " + limit;
    }
    if (t.error != null) {
      StringBuilder s = new StringBuilder(t.error.toString());
      StackTraceElement[] trace = t.error.getStackTrace();
      for (int i = 0; i < Math.min(4, trace.length); i++) {
        s.append("\n    at ").append(trace[i]);
      }
      return s.toString();
    }
    return t.observation == null ? "" : "rows " + t.observation.rows();
  }

  private Outcome classify(FuzzTarget target, FuzzTarget.Observation baseline, Mutation m, Timed t, long limit) {
    if (t.timedOut) {
      return Outcome.BUG_HANG;
    }
    if (t.error instanceof Error) {
      return Outcome.BUG_CRASH;
    }
    if (t.allocated > limit) {
      return Outcome.BUG_ALLOCATION;
    }
    if (t.error != null) {
      return isClean(t.error, target) ? Outcome.CLEAN_ERROR : Outcome.BUG_EXCEPTION;
    }
    FuzzTarget.Observation o = t.observation;
    if (o.rows().equals(baseline.rows()) && o.checksums().equals(baseline.checksums())) {
      return Outcome.IDENTICAL;
    }
    // the photons of each beam the scan still returns must be all of them
    boolean beamMissing = false;
    for (Map.Entry<String, Long> e : baseline.rows().entrySet()) {
      if (!e.getKey().startsWith("scan:")) {
        continue;
      }
      Long now = o.rows().get(e.getKey());
      if (now == null) {
        beamMissing = true;
      } else if (!now.equals(e.getValue())) {
        return Outcome.BUG_ROWS;
      }
    }
    for (String key : o.rows().keySet()) {
      if (key.startsWith("scan:") && !baseline.rows().containsKey(key)) {
        return Outcome.BUG_ROWS; // a beam the unmutated file does not have
      }
    }
    if (!target.name().startsWith("hdf5:") && !target.name().startsWith("refs:")
        && !o.rows().equals(baseline.rows())) {
      return Outcome.CHANGED_METADATA; // FlatGeobuf and parse-only references: no photon rows to lose
    }
    if (beamMissing) {
      return Outcome.BEAM_DROPPED;
    }
    return m.dataOnly() ? Outcome.CHANGED_DATA : Outcome.CHANGED_METADATA;
  }

  /**
   * A clean error: one of the types the readers throw on purpose, and the message of it or of a wrapper in its
   * chain up to the top names the file. jhdf's own HdfException, arithmetic, index and null-pointer exceptions
   * escaping unwrapped are not clean, whatever their message.
   */
  static boolean isClean(Throwable e, FuzzTarget target) {
    if (!(e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException || e instanceof UnsupportedOperationException
        || e instanceof NoSuchElementException || e instanceof SecurityException)) {
      return false;
    }
    if (e instanceof NumberFormatException || e instanceof EOFException && e.getMessage() == null) {
      return false;
    }
    String message = String.valueOf(e.getMessage());
    return message.contains(target.fileName())
        || (target.otherFileName() != null && message.contains(target.otherFileName()));
  }

  private static final class Timed {
    FuzzTarget.Observation observation;
    Throwable error;
    boolean timedOut;
    long allocated;
    long millis;
  }

  private interface Read {
    FuzzTarget.Observation read() throws Exception;
  }

  private Timed timed(Read read, long timeout) throws InterruptedException {
    Timed t = new Timed();
    long started = System.nanoTime();
    Future<?> f = worker[0].submit(() -> {
      long before = allocatedBytes();
      try {
        t.observation = read.read();
      } catch (Throwable e) { // classified: an Error is a crash, not something to rethrow here
        t.error = e;
      } finally {
        t.allocated = allocatedBytes() - before;
      }
    });
    try {
      f.get(timeout, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      t.timedOut = true;
      f.cancel(true);
      worker[0].shutdownNow(); // the stuck thread may never stop: carry on with a fresh one
      worker[0] = newWorker();
    } catch (ExecutionException e) {
      t.error = e.getCause();
    }
    t.millis = (System.nanoTime() - started) / 1_000_000;
    return t;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "atl03-fuzz");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Outcome counts summed over targets, in declaration order. */
  public static Map<Outcome, Integer> totals(Result result) {
    Map<Outcome, Integer> totals = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      totals.put(o, result.targets().stream().mapToInt(t -> t.outcomes().getOrDefault(o, 0)).sum());
    }
    return totals;
  }
}
