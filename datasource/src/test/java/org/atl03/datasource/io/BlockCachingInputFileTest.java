package org.atl03.datasource.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BlockCachingInputFileTest {

  private static byte[] data(int n) {
    byte[] b = new byte[n];
    new Random(42).nextBytes(b);
    return b;
  }

  @Test
  void manyTinyReadsBecomeFewBlockReads() throws Exception {
    byte[] data = data(10_000);
    ReadMetrics metrics = new ReadMetrics();
    BlockCachingInputFile cached = new BlockCachingInputFile(metrics.meter(new ByteArrayInputFile("mem", data)),
        1024, 16);
    Random r = new Random(1);
    for (int i = 0; i < 2_000; i++) {
      int len = 1 + r.nextInt(64);
      long pos = r.nextInt(data.length - len);
      byte[] buf = new byte[len];
      cached.readFully(pos, buf, 0, len);
      for (int k = 0; k < len; k++) {
        assertThat(buf[k]).isEqualTo(data[(int) pos + k]);
      }
    }
    assertThat(metrics.requests()).isEqualTo(10); // ceil(10000 / 1024) blocks, each loaded once
    assertThat(metrics.bytes()).isEqualTo(data.length);
  }

  @Test
  void readSpanningTwoBlocksAndTheShortLastBlock() throws Exception {
    byte[] data = data(2_500);
    BlockCachingInputFile cached = new BlockCachingInputFile(new ByteArrayInputFile("mem", data), 1024, 4);
    byte[] buf = new byte[100];
    cached.readFully(1000, buf, 0, 100);
    assertThat(buf).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 1100));
    cached.readFully(2_450, buf, 0, 50);
    assertThat(java.util.Arrays.copyOf(buf, 50)).isEqualTo(java.util.Arrays.copyOfRange(data, 2450, 2500));
    assertThatThrownBy(() -> cached.readFully(2_480, new byte[40], 0, 40)).isInstanceOf(EOFException.class)
        .hasMessageContaining("mem");
  }

  @Test
  void largeReadsBypassTheCache() throws Exception {
    byte[] data = data(8_192);
    ReadMetrics metrics = new ReadMetrics();
    BlockCachingInputFile cached = new BlockCachingInputFile(metrics.meter(new ByteArrayInputFile("mem", data)),
        1024, 4);
    byte[] buf = new byte[3_000];
    cached.readFully(100, buf, 0, buf.length);
    assertThat(buf).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 3100));
    assertThat(metrics.requests()).isEqualTo(1);
    assertThat(metrics.bytes()).isEqualTo(3_000);
    assertThat(cached.cachedBlocks()).isZero();
  }

  @Test
  void lruIsBounded() throws Exception {
    byte[] data = data(64 * 100);
    ReadMetrics metrics = new ReadMetrics();
    BlockCachingInputFile cached = new BlockCachingInputFile(metrics.meter(new ByteArrayInputFile("mem", data)),
        64, 3);
    byte[] b = new byte[1];
    cached.readFully(0, b, 0, 1);      // block 0
    cached.readFully(64, b, 0, 1);     // block 1
    cached.readFully(128, b, 0, 1);    // block 2
    cached.readFully(0, b, 0, 1);      // block 0 again: hit, now most recent
    cached.readFully(192, b, 0, 1);    // block 3 evicts block 1
    assertThat(cached.cachedBlocks()).isEqualTo(3);
    assertThat(metrics.requests()).isEqualTo(4);
    cached.readFully(1, b, 0, 1);      // block 0 still cached
    assertThat(metrics.requests()).isEqualTo(4);
    cached.readFully(65, b, 0, 1);     // block 1 was evicted
    assertThat(metrics.requests()).isEqualTo(5);
  }

  @Test
  void concurrentReadersSeeCorrectBytesAndShareBlockLoads() throws Exception {
    byte[] data = data(1 << 16);
    ReadMetrics metrics = new ReadMetrics();
    BlockCachingInputFile cached = new BlockCachingInputFile(metrics.meter(new ByteArrayInputFile("mem", data)),
        4096, 64);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          Random r = new Random(seed);
          for (int i = 0; i < 5_000; i++) {
            int len = 1 + r.nextInt(48);
            int pos = r.nextInt(data.length - len);
            byte[] buf = new byte[len];
            cached.readFully(pos, buf, 0, len);
            for (int k = 0; k < len; k++) {
              if (buf[k] != data[pos + k]) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(metrics.requests()).isEqualTo(16); // every block loaded exactly once despite the races
  }

  @Test
  void prefetchLoadsEachMissingBlockOnceAndHoldsTellsWhatIsCached() throws Exception {
    byte[] data = data(10_000);
    ReadMetrics metrics = new ReadMetrics();
    BlockCachingInputFile cached = new BlockCachingInputFile(metrics.meter(new ByteArrayInputFile("mem", data)),
        1024, 16);
    cached.readFully(100, new byte[10], 0, 10); // block 0
    assertThat(cached.holds(0, 1024)).isTrue();
    assertThat(cached.holds(1000, 100)).isFalse(); // spills into block 1
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      // blocks 0 (cached), 2, 3 and 4 (a range across two blocks), 9 (clipped at the end), twice over
      List<long[]> ranges = List.of(new long[] {10, 20}, new long[] {2048, 1}, new long[] {3500, 1000},
          new long[] {9500, 5000}, new long[] {2100, 10});
      cached.prefetch(ranges, pool);
      assertThat(metrics.requests()).isEqualTo(5);
      assertThat(cached.holds(2048, 3 * 1024)).isTrue();
      assertThat(cached.holds(9216, 10_000 - 9216)).isTrue();
      assertThat(cached.holds(9216, 10_000 - 9215)).isFalse(); // past the end
      assertThat(cached.holds(1024, 1)).isFalse();
      byte[] buf = new byte[600];
      cached.readFully(3800, buf, 0, 600);
      assertThat(buf).isEqualTo(java.util.Arrays.copyOfRange(data, 3800, 4400));
      assertThat(metrics.requests()).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void prefetchReportsAFailedLoadAndCachesNothingForIt() throws Exception {
    ByteArrayInputFile inner = new ByteArrayInputFile("mem", data(4096));
    InputFile failing = new InputFile() {
      @Override
      public String location() {
        return "mem";
      }

      @Override
      public long length() {
        return inner.length();
      }

      @Override
      public void readFully(long position, byte[] buf, int off, int len) throws java.io.IOException {
        if (position >= 2048) {
          throw new java.io.IOException("mem: storage down at " + position);
        }
        inner.readFully(position, buf, off, len);
      }

      @Override
      public void close() {}
    };
    BlockCachingInputFile cached = new BlockCachingInputFile(failing, 1024, 16);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      assertThatThrownBy(() -> cached.prefetch(List.of(new long[] {0, 4096}), pool))
          .isInstanceOf(java.io.IOException.class).hasMessageContaining("storage down");
      assertThat(cached.holds(0, 2048)).isTrue();
      assertThat(cached.holds(2048, 1)).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeClosesTheUnderlyingFile() throws Exception {
    ByteArrayInputFile file = new ByteArrayInputFile("mem", data(10));
    new BlockCachingInputFile(file).close();
    assertThat(file.isClosed()).isTrue();
  }
}
