package org.atl03.jobs.bench.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.FilterSpec;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.hdf5.ZlibInflate;
import org.atl03.datasource.io.InputFile;
import org.atl03.jobs.bench.BenchFiles;

/**
 * The inflate-only floor: every stored chunk of the scanned datasets, read into memory first, then only inflated
 * (one reused {@link ZlibInflate} per thread, the JDK's zlib or libdeflate) and unshuffled where the filter pipeline
 * says, on a fixed thread pool. No I/O, no Spark, no copying into columns: what decoding alone costs, the denominator
 * of the scan's targets against each inflater.
 */
final class InflateFloor {

  /** One chunk's stored bytes and how to undo its filters. */
  private record StoredChunk(byte[] bytes, int decodedBytes, boolean inflate, int shuffleElementSize) {}

  /** What was loaded: chunk count, their stored and decoded bytes, and the photons they hold. */
  record Loaded(int chunks, long storedBytes, long decodedBytes, long photons) {}

  private final List<StoredChunk> chunks = new ArrayList<>();
  private final int maxDecodedBytes;
  private final Loaded loaded;

  private InflateFloor(List<StoredChunk> chunks, long photons) {
    this.chunks.addAll(chunks);
    this.maxDecodedBytes = chunks.stream().mapToInt(StoredChunk::decodedBytes).max().orElse(0);
    this.loaded = new Loaded(chunks.size(), chunks.stream().mapToLong(c -> c.bytes().length).sum(),
        chunks.stream().mapToLong(StoredChunk::decodedBytes).sum(), photons);
  }

  /** Reads every chunk of {@code datasets} of every beam from disk into memory (not timed). */
  static InflateFloor load(Path granule, List<String> beams, List<String> datasets) throws IOException {
    List<StoredChunk> chunks = new ArrayList<>();
    long photons = 0;
    try (Hdf5File file = BenchFiles.open(granule)) {
      try (InputFile data = BenchFiles.input(granule)) {
        for (String beam : beams) {
          for (String dataset : datasets) {
            String path = Atl03Granule.heights(beam, dataset);
            ChunkIndex index = file.chunkIndex(path);
            DatasetInfo info = index.dataset();
            for (ChunkDescriptor c : index.chunksInFileOrder()) {
              chunks.add(stored(info, c, data.readFully(c.fileOffset(), c.storedSize())));
            }
          }
          photons += file.dataset(Atl03Granule.heights(beam, "delta_time")).rows();
        }
      }
    }
    return new InflateFloor(chunks, photons);
  }

  private static StoredChunk stored(DatasetInfo info, ChunkDescriptor c, byte[] bytes) {
    boolean inflate = false;
    int shuffle = 0;
    List<FilterSpec> filters = info.filters();
    for (int i = 0; i < filters.size(); i++) {
      if ((c.filterMask() & (1 << i)) != 0) {
        continue; // this filter was skipped for this chunk
      }
      FilterSpec f = filters.get(i);
      if (f.id() == FilterSpec.DEFLATE) {
        inflate = true;
      } else if (f.id() == FilterSpec.SHUFFLE) {
        int[] data = f.clientData();
        shuffle = data.length > 0 && data[0] > 0 ? data[0] : info.type().size();
      } else {
        throw new UnsupportedOperationException(info.describe() + ": filter " + f + " in the inflate floor");
      }
    }
    return new StoredChunk(bytes, Math.toIntExact(info.chunkBytes()), inflate, shuffle);
  }

  Loaded loaded() {
    return loaded;
  }

  /** Decodes every chunk once on {@code threads} threads, each with its own inflater; returns a checksum. */
  long decodeAll(int threads, Supplier<ZlibInflate> inflaters) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<Long>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> decodeFrom(next, inflaters.get())));
      }
      long checksum = 0;
      for (Future<Long> worker : workers) {
        checksum += worker.get();
      }
      return checksum;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One thread's share: takes the next chunk until none is left (so the threads finish together). */
  private long decodeFrom(AtomicInteger next, ZlibInflate inflater) throws IOException {
    byte[] inflated = new byte[maxDecodedBytes];
    byte[] unshuffled = new byte[maxDecodedBytes];
    long checksum = 0;
    try (inflater) {
      for (int i = next.getAndIncrement(); i < chunks.size(); i = next.getAndIncrement()) {
        StoredChunk c = chunks.get(i);
        byte[] out = c.bytes();
        int n = out.length;
        if (c.inflate()) {
          n = inflater.inflate(c.bytes(), 0, c.bytes().length, inflated);
          if (n != c.decodedBytes()) {
            throw new IOException("chunk " + i + " inflates to " + (n < 0 ? "more than " + inflated.length : n)
                + " bytes, not " + c.decodedBytes());
          }
          out = inflated;
        }
        if (c.shuffleElementSize() > 1) {
          unshuffle(out, unshuffled, n, c.shuffleElementSize());
          out = unshuffled;
        }
        checksum += out[n - 1] + n;
      }
    }
    return checksum;
  }

  /** HDF5's byte unshuffle, as the reader does it: byte j of element i is stored at j * count + i. */
  private static void unshuffle(byte[] src, byte[] dst, int len, int elementSize) {
    int count = len / elementSize;
    for (int j = 0; j < elementSize; j++) {
      int s = j * count;
      int d = j;
      for (int i = 0; i < count; i++) {
        dst[d] = src[s + i];
        d += elementSize;
      }
    }
    int tail = len - count * elementSize;
    System.arraycopy(src, count * elementSize, dst, count * elementSize, tail);
  }
}
