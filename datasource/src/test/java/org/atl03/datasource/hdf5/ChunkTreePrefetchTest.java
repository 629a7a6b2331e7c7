package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.io.InputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata reads that wait for each other: a chunk B-tree is loaded a level at a time, and small values HDF5 stored
 * beside their metadata come from the metadata cache.
 */
class ChunkTreePrefetchTest {

  @TempDir
  static Path dir;

  @BeforeAll
  static void generate() throws Exception {
    Fixtures.edgeCases(dir);
  }

  /** Every read takes {@code delayMillis}; records when each started and ended. */
  static final class SlowFile implements InputFile {
    private final InputFile delegate;
    private final long delayMillis;
    private final List<long[]> reads = new ArrayList<>();

    SlowFile(InputFile delegate, long delayMillis) {
      this.delegate = delegate;
      this.delayMillis = delayMillis;
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
    public void readFully(long position, byte[] buf, int off, int len) throws IOException {
      long start = System.nanoTime();
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      delegate.readFully(position, buf, off, len);
      synchronized (reads) {
        reads.add(new long[] {start, System.nanoTime()});
      }
    }

    synchronized void reset() {
      synchronized (reads) {
        reads.clear();
      }
    }

    int reads() {
      synchronized (reads) {
        return reads.size();
      }
    }

    /** Reads that had to wait for every read started before them: the round trips a reader sat through. */
    int serialSteps() {
      List<long[]> sorted;
      synchronized (reads) {
        sorted = new ArrayList<>(reads);
      }
      sorted.sort((a, b) -> Long.compare(a[0], b[0]));
      int steps = 0;
      long lastEnd = Long.MIN_VALUE;
      for (long[] r : sorted) {
        if (r[0] >= lastEnd) {
          steps++;
        }
        lastEnd = Math.max(lastEnd, r[1]);
      }
      return steps;
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  @Test
  void aThreeLevelChunkTreeIsReadALevelAtATimeWithEveryChunk() throws Exception {
    // 4 KiB metadata blocks (nodes are 2 KiB): the tree's 109 nodes lie in about 60 blocks of the 250 KB file,
    // as a large granule's lie in blocks of their own among the data
    SlowFile file = new SlowFile(Fixtures.open(dir.resolve("btree_v1_three_levels.h5")), 20);
    try (Hdf5File f = Hdf5File.open(file, ReadOptions.DEFAULT.withMetadataCache(4096, 256))) {
      f.dataset("/data");
      file.reset();
      ChunkIndex index = f.chunkIndex("/data");
      assertThat(index.chunks()).hasSize(6000);
      // a depth-first walk waits once per block (about 60 times); level by level it is the root, then one wait
      // per level below it, and a few stragglers where a node is larger than what was loaded for it
      assertThat(file.reads()).isGreaterThan(40);
      assertThat(file.serialSteps()).isLessThanOrEqualTo(8);
      try (DatasetReader r = f.reader("/data")) {
        double[] values = r.readAsDoubles(0, r.rows());
        for (int i = 0; i < values.length; i++) {
          assertThat(values[i]).isEqualTo(3.0 * i - 7);
        }
      }
    }
  }

  @Test
  void smallContiguousValuesBesideTheirMetadataCostNoRequest() throws Exception {
    SlowFile file = new SlowFile(Fixtures.open(dir.resolve("contiguous.h5")), 0);
    try (Hdf5File f = Hdf5File.open(file)) {
      String path = f.datasetPaths().get(0);
      DatasetInfo info = f.dataset(path);
      assertThat(info.storage()).isEqualTo(StorageKind.CONTIGUOUS);
      file.reset();
      try (DatasetReader r = f.reader(path)) {
        assertThat(r.readAsDoubles(0, r.rows())).hasSize((int) (r.rows() * info.rowElements()));
      }
      // the file is smaller than one metadata block, so its values were loaded with the metadata
      assertThat(file.reads()).isZero();
    }
  }
}
