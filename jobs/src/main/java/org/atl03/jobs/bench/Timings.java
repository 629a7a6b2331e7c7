package org.atl03.jobs.bench;

import java.util.ArrayList;
import java.util.List;

/** Wall times of the measured repetitions of one benchmark (warm-ups are run and discarded). */
public record Timings(List<Double> seconds) {

  public Timings {
    if (seconds.isEmpty()) {
      throw new IllegalArgumentException("no repetitions measured");
    }
    seconds = List.copyOf(seconds);
  }

  /** Something measured once per call; returns a value so the work cannot be optimised away. */
  @FunctionalInterface
  public interface Run<T> {
    T run() throws Exception;
  }

  /** Runs {@code warmups} discarded calls, then {@code repetitions} timed ones; returns the times and last value. */
  public static <T> Measured<T> measure(int warmups, int repetitions, Run<T> run) throws Exception {
    for (int i = 0; i < warmups; i++) {
      run.run();
    }
    List<Double> seconds = new ArrayList<>();
    T last = null;
    for (int i = 0; i < repetitions; i++) {
      long started = System.nanoTime();
      last = run.run();
      seconds.add((System.nanoTime() - started) / 1e9);
    }
    return new Measured<>(new Timings(seconds), last);
  }

  public record Measured<T>(Timings timings, T value) {}

  public double median() {
    List<Double> sorted = new ArrayList<>(seconds);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public double min() {
    return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  public double max() {
    return seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }
}
