package org.atl03.datasource.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/** Reads that wait on storage, run at once so their round trips overlap, with their failures thrown as they were. */
public final class ConcurrentReads {

  /** A read that may fail with an IOException. */
  @FunctionalInterface
  public interface Read<T> {
    T run() throws IOException;
  }

  private ConcurrentReads() {}

  /**
   * Runs every read on {@code executor} and waits for all of them: their results in order, or the first failure
   * in order (an IOException or RuntimeException as thrown). {@code what} names the reads for an interrupt.
   */
  public static <T> List<T> all(List<? extends Read<T>> reads, Executor executor, String what) throws IOException {
    List<CompletableFuture<T>> running = new ArrayList<>();
    for (Read<T> read : reads) {
      running.add(CompletableFuture.supplyAsync(() -> {
        try {
          return read.run();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, executor));
    }
    List<T> results = new ArrayList<>();
    for (CompletableFuture<T> r : running) {
      try {
        results.add(r.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted " + what);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        throw cause instanceof RuntimeException re ? re : new IllegalStateException(what + ": " + cause, cause);
      }
    }
    return results;
  }
}
