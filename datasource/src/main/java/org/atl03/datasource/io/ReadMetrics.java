package org.atl03.datasource.io;

import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counters of what crossed the storage seam: read requests, bytes and time spent waiting for them.
 * One instance may be shared by many files (e.g. all files of a Spark partition) and later reported as Spark
 * custom metrics.
 */
public final class ReadMetrics {

  private final LongAdder requests = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  /** Returns {@code file} wrapped so every read through the wrapper is counted here. */
  public InputFile meter(InputFile file) {
    return new MeteredInputFile(file, this);
  }

  void record(long byteCount, long elapsedNanos) {
    requests.increment();
    bytes.add(byteCount);
    nanos.add(elapsedNanos);
  }

  /** Number of positional read requests issued. */
  public long requests() {
    return requests.sum();
  }

  /** Bytes read by those requests. */
  public long bytes() {
    return bytes.sum();
  }

  /** Wall-clock nanoseconds spent inside read requests, summed over threads. */
  public long nanos() {
    return nanos.sum();
  }

  @Override
  public String toString() {
    return "ReadMetrics[requests=" + requests() + ", bytes=" + bytes() + ", millis=" + nanos() / 1_000_000 + "]";
  }

  /** The decorator: counts a request only when it succeeded, so the numbers are what the store delivered. */
  static final class MeteredInputFile implements InputFile {
    private final InputFile delegate;
    private final ReadMetrics metrics;

    MeteredInputFile(InputFile delegate, ReadMetrics metrics) {
      this.delegate = delegate;
      this.metrics = metrics;
    }

    @Override
    public String location() {
      return delegate.location();
    }

    @Override
    public long length() {
      return delegate.length();
    }

    @Override
    public void readFully(long position, byte[] buf, int off, int len) throws java.io.IOException {
      long start = System.nanoTime();
      delegate.readFully(position, buf, off, len);
      metrics.record(len, System.nanoTime() - start);
    }

    @Override
    public void close() throws java.io.IOException {
      delegate.close();
    }

    @Override
    public String toString() {
      return "Metered[" + delegate + "]";
    }
  }
}
