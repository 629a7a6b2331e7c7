package org.atl03.datasource.atl03.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.junit.jupiter.api.Test;

class ManifestChunksTest {

  @Test
  void roundTripsSeededRandomChunkLists() {
    SplittableRandom random = new SplittableRandom(20261207);
    for (int trial = 0; trial < 2_000; trial++) {
      long chunkRows = 1 + random.nextInt(100_000);
      int rank = 1 + random.nextInt(2);
      long positions = 1 + random.nextInt(300);
      long rows = (positions - 1) * chunkRows + 1 + random.nextLong(chunkRows);
      List<ChunkDescriptor> chunks = new ArrayList<>();
      long offset = random.nextLong(1L << 40);
      for (long p = 0; p < positions; p++) {
        if (random.nextInt(10) == 0) {
          continue; // an unwritten chunk: absent
        }
        long first = p * chunkRows;
        long[] at = new long[rank];
        at[0] = first;
        int size = random.nextInt(10) == 0 ? random.nextInt(Integer.MAX_VALUE) : 1 + random.nextInt(1 << 20);
        int mask = random.nextInt(20) == 0 ? random.nextInt() : 0;
        // interleaved with other datasets' chunks, or (rarely) earlier in the file
        long at0 = random.nextInt(8) == 0 ? random.nextLong(1L << 40) : offset + random.nextInt(1 << 22);
        chunks.add(new ChunkDescriptor(at, at0, size, mask, first, Math.min(chunkRows, rows - first)));
        offset = at0 + size;
      }
      byte[] bytes = ManifestChunks.encode(chunks, chunkRows);
      List<ChunkDescriptor> back = ManifestChunks.decode(bytes, rows, chunkRows, rank, "trial " + trial);
      assertThat(back).hasSameSizeAs(chunks);
      for (int i = 0; i < chunks.size(); i++) {
        ChunkDescriptor a = chunks.get(i);
        ChunkDescriptor b = back.get(i);
        assertThat(b.firstRow()).isEqualTo(a.firstRow());
        assertThat(b.fileOffset()).isEqualTo(a.fileOffset());
        assertThat(b.storedSize()).isEqualTo(a.storedSize());
        assertThat(b.filterMask()).isEqualTo(a.filterMask());
        assertThat(b.rowCount()).isEqualTo(a.rowCount());
        assertThat(b.offset()).containsExactly(a.offset());
      }
    }
  }

  @Test
  void aRegularChunkTakesAFewBytes() {
    List<ChunkDescriptor> chunks = new ArrayList<>();
    long offset = 123_456_789;
    for (int i = 0; i < 100; i++) {
      chunks.add(new ChunkDescriptor(new long[] {i * 10_000L}, offset, 38_000 + i, 0, i * 10_000L, 10_000));
      offset += 38_000 + i + 200_000; // other datasets' chunks between
    }
    byte[] bytes = ManifestChunks.encode(chunks, 10_000);
    // the first chunk's absolute offset, then per chunk: row 1 byte, gap 3, size 3, mask 1
    assertThat(bytes.length).isLessThan(100 * 8 + 16);
  }

  @Test
  void refusesBytesThatAreNotAChunkList() {
    byte[] good = ManifestChunks.encode(List.of(new ChunkDescriptor(new long[] {0}, 4096, 100, 0, 0, 10)), 10);
    assertThatThrownBy(() -> ManifestChunks.decode(Arrays.copyOf(good, good.length - 1), 10, 10, 1, "h_ph"))
        .hasMessageContaining("h_ph").hasMessageContaining("cut short");
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> ManifestChunks.decode(trailing, 10, 10, 1, "h_ph")).hasMessageContaining("after");
    byte[] format = good.clone();
    format[0] = 9;
    assertThatThrownBy(() -> ManifestChunks.decode(format, 10, 10, 1, "h_ph")).hasMessageContaining("format 9");
    // a chunk beyond the dataset's rows
    byte[] far = ManifestChunks.encode(List.of(new ChunkDescriptor(new long[] {20}, 4096, 100, 0, 20, 10)), 10);
    assertThatThrownBy(() -> ManifestChunks.decode(far, 10, 10, 1, "h_ph")).hasMessageContaining("outside");
    assertThatThrownBy(() -> ManifestChunks.decode(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
        10, 10, 1, "h_ph")).hasMessageContaining("claims");
  }
}
