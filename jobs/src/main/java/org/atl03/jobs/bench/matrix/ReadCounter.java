package org.atl03.jobs.bench.matrix;

import org.atl03.jobs.bench.StorageReads;
import org.atl03.testing.services.LatencyProxy;

/**
 * Counts what one repetition read from its storage: on a remote storage the latency proxy's bytes down and HTTP
 * requests (the same counter for every reader), on local disk Hadoop's FileSystem statistics of the file scheme.
 */
final class ReadCounter {

  private final BenchStorage storage;
  private final StorageReads.Snapshot fsBefore;
  private final LatencyProxy.Traffic proxyBefore;

  private ReadCounter(BenchStorage storage) {
    this.storage = storage;
    this.fsBefore = StorageReads.snapshot(storage.scheme());
    this.proxyBefore = storage.traffic();
  }

  static ReadCounter start(BenchStorage storage) {
    return new ReadCounter(storage);
  }

  /** Bytes and requests since start; {@code ownRequests} (a source's metric) wins on local disk when given. */
  long[] stop(Long ownRequests) {
    if (proxyBefore != null) {
      LatencyProxy.Traffic t = storage.traffic().minus(proxyBefore);
      return new long[] {t.bytesDown(), t.requests()};
    }
    StorageReads.Snapshot read = StorageReads.snapshot(storage.scheme()).minus(fsBefore);
    return new long[] {read.bytesRead(), ownRequests != null ? ownRequests : read.readOps()};
  }

  String bytesCounter() {
    return proxyBefore != null ? "latency proxy: response bytes (headers included) from " + storage.key()
        : "Hadoop FileSystem statistics bytesRead (file scheme, this JVM)";
  }

  String requestsCounter(boolean ownRequests) {
    if (proxyBefore != null) {
      return "latency proxy: HTTP requests to " + storage.key();
    }
    return ownRequests ? "the source's readRequests + planningReadRequests metrics"
        : "Hadoop FileSystem statistics readOps (file opens and listings)";
  }
}
