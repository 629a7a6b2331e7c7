package org.atl03.datasource.hdf5;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.atl03.datasource.io.InputFile;

/**
 * Issues range requests in order, keeping up to {@code readsInFlight} in flight on the I/O executor, and hands
 * them out in order. A single request, or one allowed in flight, is read in the calling thread.
 */
final class RangeFetcher {
  private final InputFile file;
  private final List<RangeCoalescer.Request> requests;
  private final ReadOptions options;
  private final ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
  private final boolean async;
  private int submitted;
  private int taken;

  RangeFetcher(InputFile file, List<RangeCoalescer.Request> requests, ReadOptions options) {
    this.file = file;
    this.requests = requests;
    this.options = options;
    this.async = requests.size() > 1 && options.readsInFlight() > 1;
  }

  byte[] next() throws IOException {
    RangeCoalescer.Request request = requests.get(taken++);
    if (!async) {
      return read(request);
    }
    while (submitted < requests.size() && inFlight.size() < options.readsInFlight()) {
      RangeCoalescer.Request r = requests.get(submitted++);
      inFlight.add(CompletableFuture.supplyAsync(() -> {
        try {
          return read(r);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, options.ioExecutor()));
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
    byte[] buf = new byte[Math.toIntExact(r.length())];
    file.readFully(r.offset(), buf, 0, buf.length);
    return buf;
  }

  /** Takes the bytes of one fetched chunk: {@code buf[at...]} holds it. */
  interface ChunkConsumer<T> {
    void accept(T item, byte[] buf, int at) throws IOException;
  }

  /**
   * Reads the chunks of {@code items} in file-address order, merged into few requests by the options' coalescer
   * with several in flight, and hands each chunk's bytes to {@code consumer}.
   */
  static <T> void fetchInFileOrder(InputFile file, ReadOptions options, List<T> items,
      Function<T, ChunkDescriptor> chunkOf, ChunkConsumer<T> consumer) throws IOException {
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingLong(item -> chunkOf.apply(item).fileOffset()));
    long[] offsets = new long[sorted.size()];
    long[] lengths = new long[sorted.size()];
    for (int i = 0; i < offsets.length; i++) {
      ChunkDescriptor c = chunkOf.apply(sorted.get(i));
      offsets[i] = c.fileOffset();
      lengths[i] = c.storedSize();
    }
    List<RangeCoalescer.Request> requests = options.coalescer().coalesce(offsets, lengths);
    RangeFetcher fetcher = new RangeFetcher(file, requests, options);
    for (RangeCoalescer.Request request : requests) {
      byte[] buf = fetcher.next();
      for (int i = request.first(); i < request.first() + request.count(); i++) {
        consumer.accept(sorted.get(i), buf, (int) (offsets[i] - request.offset()));
      }
    }
  }
}
