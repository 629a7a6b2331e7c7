package org.atl03.datasource.hdf5;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.atl03.datasource.io.BlockCachingInputFile;
import org.atl03.datasource.io.RangeCoalescer;
import org.atl03.datasource.io.RangeFetcher;

/**
 * Tuning of one opened file: the metadata block cache, range coalescing and how many range reads a reader keeps
 * in flight. Immutable; the {@code with…} methods return modified copies.
 */
public final class ReadOptions {

  /** Daemon threads for range reads; requests block on I/O, so this pool grows with the reads in flight. */
  private static final ExecutorService SHARED_IO = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "atl03-hdf5-range-read");
    t.setDaemon(true);
    return t;
  });

  public static final ReadOptions DEFAULT = new ReadOptions(BlockCachingInputFile.DEFAULT_BLOCK_SIZE,
      BlockCachingInputFile.DEFAULT_MAX_BLOCKS, RangeCoalescer.DEFAULT, 4, SHARED_IO);

  private final int metadataBlockSize;
  private final int metadataCacheBlocks;
  private final RangeCoalescer coalescer;
  private final int readsInFlight;
  private final Executor ioExecutor;

  private ReadOptions(int metadataBlockSize, int metadataCacheBlocks, RangeCoalescer coalescer, int readsInFlight,
                      Executor ioExecutor) {
    if (readsInFlight < 1) {
      throw new IllegalArgumentException("readsInFlight must be >= 1: " + readsInFlight);
    }
    this.metadataBlockSize = metadataBlockSize;
    this.metadataCacheBlocks = metadataCacheBlocks;
    this.coalescer = Objects.requireNonNull(coalescer);
    this.readsInFlight = readsInFlight;
    this.ioExecutor = Objects.requireNonNull(ioExecutor);
  }

  public int metadataBlockSize() {
    return metadataBlockSize;
  }

  public int metadataCacheBlocks() {
    return metadataCacheBlocks;
  }

  public RangeCoalescer coalescer() {
    return coalescer;
  }

  /** Range reads one reader keeps in flight; 1 reads sequentially in the calling thread. */
  public int readsInFlight() {
    return readsInFlight;
  }

  /** How chunk ranges are fetched. */
  public RangeFetcher.Plan fetchPlan() {
    return new RangeFetcher.Plan(coalescer, readsInFlight, ioExecutor);
  }

  public Executor ioExecutor() {
    return ioExecutor;
  }

  public ReadOptions withMetadataCache(int blockSize, int maxBlocks) {
    return new ReadOptions(blockSize, maxBlocks, coalescer, readsInFlight, ioExecutor);
  }

  public ReadOptions withCoalescer(RangeCoalescer c) {
    return new ReadOptions(metadataBlockSize, metadataCacheBlocks, c, readsInFlight, ioExecutor);
  }

  public ReadOptions withReadsInFlight(int n) {
    return new ReadOptions(metadataBlockSize, metadataCacheBlocks, coalescer, n, ioExecutor);
  }

  public ReadOptions withIoExecutor(Executor executor) {
    return new ReadOptions(metadataBlockSize, metadataCacheBlocks, coalescer, readsInFlight, executor);
  }
}
