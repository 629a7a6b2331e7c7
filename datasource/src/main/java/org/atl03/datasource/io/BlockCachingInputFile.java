package org.atl03.datasource.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Serves small reads from aligned blocks kept in a bounded LRU cache. HDF5 metadata (object headers, B-tree
 * nodes, heaps) is read as many tiny scattered reads of 8–64 bytes; one block read answers hundreds of them.
 * Reads of at least one block go straight to the underlying file, so bulk chunk data never pollutes the cache.
 *
 * <p>Thread-safe. Concurrent misses on the same block wait for one load instead of issuing duplicate requests.
 * Closing closes the underlying file.
 */
public final class BlockCachingInputFile implements InputFile {

  public static final int DEFAULT_BLOCK_SIZE = 64 * 1024;
  public static final int DEFAULT_MAX_BLOCKS = 256; // 16 MiB with the default block size

  private final InputFile delegate;
  private final int blockSize;
  private final int maxBlocks;
  private final long length;
  // access-ordered, guarded by itself; values complete once their block is loaded
  private final LinkedHashMap<Long, CompletableFuture<byte[]>> blocks = new LinkedHashMap<>(64, 0.75f, true);

  public BlockCachingInputFile(InputFile delegate) {
    this(delegate, DEFAULT_BLOCK_SIZE, DEFAULT_MAX_BLOCKS);
  }

  public BlockCachingInputFile(InputFile delegate, int blockSize, int maxBlocks) {
    if (blockSize <= 0 || maxBlocks <= 0) {
      throw new IllegalArgumentException("blockSize and maxBlocks must be positive: " + blockSize + ", " + maxBlocks);
    }
    this.delegate = delegate;
    this.blockSize = blockSize;
    this.maxBlocks = maxBlocks;
    this.length = delegate.length();
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public long length() {
    return length;
  }

  public int blockSize() {
    return blockSize;
  }

  /** Blocks currently cached (or loading). */
  public int cachedBlocks() {
    synchronized (blocks) {
      return blocks.size();
    }
  }

  /** Whether bytes {@code [position, position + len)} are cached (loaded, not loading), so reading them costs no request. */
  public boolean holds(long position, int len) {
    if (len <= 0 || position < 0 || position + len > length) {
      return false;
    }
    synchronized (blocks) {
      for (long b = position / blockSize; b <= (position + len - 1) / blockSize; b++) {
        CompletableFuture<byte[]> f = blocks.get(b);
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Loads the blocks holding {@code [position, position + len)} of each range concurrently on {@code executor}
   * and waits for them: metadata whose addresses are known before it is parsed (B-tree children) costs one round
   * trip instead of one per block. Ranges beyond the file's end are clipped; load failures are thrown.
   */
  public void prefetch(java.util.Collection<long[]> ranges, java.util.concurrent.Executor executor)
      throws IOException {
    java.util.TreeSet<Long> wanted = new java.util.TreeSet<>();
    for (long[] r : ranges) {
      long start = Math.max(0, r[0]);
      long end = Math.min(length, r[0] + r[1]);
      for (long b = start / blockSize; start < end && b <= (end - 1) / blockSize; b++) {
        wanted.add(b);
      }
    }
    if (wanted.size() > maxBlocks) {
      return; // more than the cache keeps: loading them would evict each other
    }
    java.util.List<ConcurrentReads.Read<byte[]>> loads = new java.util.ArrayList<>();
    for (long b : wanted) {
      loads.add(() -> block(b));
    }
    ConcurrentReads.all(loads, executor, "prefetching blocks of " + location());
  }

  @Override
  public void readFully(long position, byte[] buf, int off, int len) throws IOException {
    InputFile.checkRange(this, position, buf, off, len);
    if (len >= blockSize) {
      delegate.readFully(position, buf, off, len);
      return;
    }
    // a small read spans at most two blocks
    while (len > 0) {
      long blockIndex = position / blockSize;
      byte[] block = block(blockIndex);
      int inBlock = (int) (position - blockIndex * blockSize);
      int n = Math.min(len, block.length - inBlock);
      System.arraycopy(block, inBlock, buf, off, n);
      position += n;
      off += n;
      len -= n;
    }
  }

  private byte[] block(long blockIndex) throws IOException {
    CompletableFuture<byte[]> future;
    boolean load = false;
    synchronized (blocks) {
      future = blocks.get(blockIndex);
      if (future == null) {
        future = new CompletableFuture<>();
        blocks.put(blockIndex, future);
        load = true;
        evictIfNeeded();
      }
    }
    if (load) {
      try {
        long start = blockIndex * blockSize;
        byte[] block = new byte[(int) Math.min(blockSize, length - start)];
        delegate.readFully(start, block, 0, block.length);
        future.complete(block);
        return block;
      } catch (IOException | RuntimeException | Error e) {
        synchronized (blocks) {
          blocks.remove(blockIndex, future); // do not cache the failure; the next reader retries
        }
        future.completeExceptionally(e);
        throw e;
      }
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for block " + blockIndex + " of " + location());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw new IOException(cause.getMessage(), cause);
      }
      throw new UncheckedIOException(new IOException("loading block " + blockIndex + " of " + location(), cause));
    }
  }

  private void evictIfNeeded() {
    Iterator<Map.Entry<Long, CompletableFuture<byte[]>>> it = blocks.entrySet().iterator();
    while (blocks.size() > maxBlocks && it.hasNext()) {
      it.next();
      it.remove(); // eldest first; a loading block evicted early is still handed to the threads waiting for it
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (blocks) {
      blocks.clear();
    }
    delegate.close();
  }

  @Override
  public String toString() {
    return "BlockCaching[" + delegate + ", block=" + blockSize + ", max=" + maxBlocks + "]";
  }
}
