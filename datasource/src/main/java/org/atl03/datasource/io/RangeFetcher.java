package org.atl03.datasource.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.ToLongFunction;

/**
 * Issues range requests in order, keeping up to {@code readsInFlight} in flight on the I/O executor, and hands
 * them out in order. A single request, or one allowed in flight, is read in the calling thread.
 */
public final class RangeFetcher {
  private final InputFile file;
  private final List<RangeCoalescer.Request> requests;
  private final int readsInFlight;
  private final Executor executor;
  private final BufferPool pool; // null: a new array a request
  private final ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
  private final boolean async;
  private int submitted;
  private int taken;

  private RangeFetcher(InputFile file, List<RangeCoalescer.Request> requests, int readsInFlight, Executor executor,
      BufferPool pool) {
    this.file = file;
    this.pool = pool;
    this.requests = requests;
    this.readsInFlight = readsInFlight;
    this.executor = executor;
    this.async = requests.size() > 1 && readsInFlight > 1;
  }

  byte[] next() throws IOException {
    RangeCoalescer.Request request = requests.get(taken++);
    if (!async) {
      return read(request);
    }
    while (submitted < requests.size() && inFlight.size() < readsInFlight) {
      RangeCoalescer.Request r = requests.get(submitted++);
      inFlight.add(CompletableFuture.supplyAsync(() -> {
        try {
          return read(r);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, executor));
    }
    try {
      return inFlight.poll().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.forEach(f -> f.cancel(false));
      throw new InterruptedIOException("interrupted reading " + file.location());
    } catch (ExecutionException e) {
      inFlight.forEach(f -> f.cancel(false));
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw new IOException(u.getCause().getMessage(), u.getCause());
      }
      throw new IOException(file.location() + ": range read failed: " + cause, cause);
    }
  }

  private byte[] read(RangeCoalescer.Request r) throws IOException {
    int length = Math.toIntExact(r.length());
    byte[] buf = pool == null ? new byte[length] : pool.take(length);
    file.readFully(r.offset(), buf, 0, length);
    return buf;
  }

  /** How ranges are read: merged by {@code coalescer}, up to {@code readsInFlight} requests on {@code executor}. */
  public record Plan(RangeCoalescer coalescer, int readsInFlight, Executor executor) {}

  /** Takes the bytes of one fetched range: {@code buf[at...]} holds it. */
  public interface RangeConsumer<T> {
    void accept(T item, byte[] buf, int at) throws IOException;
  }

  /**
   * Reads the ranges of {@code items} in file order, merged into few requests with several in flight as
   * {@code plan} says, and hands each item's bytes to {@code consumer}.
   */
  public static <T> void fetchInFileOrder(InputFile file, Plan plan, List<T> items, ToLongFunction<T> offsetOf,
      ToLongFunction<T> lengthOf, RangeConsumer<T> consumer) throws IOException {
    fetchInFileOrder(file, plan, null, items, offsetOf, lengthOf, consumer);
  }

  /**
   * As {@link #fetchInFileOrder(InputFile, Plan, List, ToLongFunction, ToLongFunction, RangeConsumer)}, reading into
   * arrays of {@code pool} (null: new ones), each given back once its items are consumed.
   */
  public static <T> void fetchInFileOrder(InputFile file, Plan plan, BufferPool pool, List<T> items,
      ToLongFunction<T> offsetOf, ToLongFunction<T> lengthOf, RangeConsumer<T> consumer) throws IOException {
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingLong(offsetOf));
    long[] offsets = new long[sorted.size()];
    long[] lengths = new long[sorted.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = offsetOf.applyAsLong(sorted.get(i));
      lengths[i] = lengthOf.applyAsLong(sorted.get(i));
    }
    List<RangeCoalescer.Request> requests = plan.coalescer().coalesce(offsets, lengths);
    RangeFetcher fetcher = new RangeFetcher(file, requests, plan.readsInFlight(), plan.executor(), pool);
    for (RangeCoalescer.Request request : requests) {
      byte[] buf = fetcher.next();
      for (int i = request.first(); i < request.first() + request.count(); i++) {
        consumer.accept(sorted.get(i), buf, (int) (offsets[i] - request.offset()));
      }
      if (pool != null) {
        pool.give(buf);
      }
    }
  }
}
