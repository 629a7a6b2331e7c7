package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {

  private static final List<FilterSpec> SHUFFLE_DEFLATE =
      List.of(new FilterSpec(2, "shuffle", new int[] {8}), new FilterSpec(1, "deflate", new int[] {6}));

  private static DatasetInfo info(List<FilterSpec> filters, int chunk) {
    return new DatasetInfo("mem.h5", "/x", new ElementType(ElementType.DataClass.INTEGER, 8, ByteOrder.LITTLE_ENDIAN,
        true), new long[] {100}, new int[] {chunk}, StorageKind.CHUNKED, filters, new byte[8]);
  }

  private static byte[] longs(long... v) {
    ByteBuffer bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      bb.putLong(x);
    }
    return bb.array();
  }

  private static byte[] deflate(byte[] in) {
    return ZlibInflateTest.deflate(in, 6);
  }


  private static byte[] shuffled(byte[] in, int elementSize) {
    byte[] out = new byte[in.length];
    ChunkDecoder.shuffle(in, 0, out, 0, in.length, elementSize);
    return out;
  }

  @Test
  void unshuffleReversesHdf5ByteShuffleIncludingAnUnevenTail() {
    byte[] plain = new byte[27]; // 6 elements of 4 bytes plus 3 stray bytes
    for (int i = 0; i < plain.length; i++) {
      plain[i] = (byte) (i + 1);
    }
    byte[] s = shuffled(plain, 4);
    // byte 0 of every element first: 1, 5, 9, 13, 17, 21, then byte 1 …; the tail is stored as is
    assertThat(Arrays.copyOf(s, 7)).containsExactly(1, 5, 9, 13, 17, 21, 2);
    assertThat(Arrays.copyOfRange(s, 24, 27)).containsExactly(25, 26, 27);
    byte[] back = new byte[27];
    ChunkDecoder.unshuffle(s, 0, back, 0, 27, 4);
    assertThat(back).isEqualTo(plain);
  }

  @Test
  void anElementSizeLargerThanTheChunkLeavesItAsTheTailAtOnce() {
    byte[] plain = {1, 2, 3};
    byte[] back = new byte[3];
    // a corrupt size once looped 2^31 times over zero elements: the fuzz harness's hang
    ChunkDecoder.unshuffle(plain, 0, back, 0, 3, Integer.MAX_VALUE);
    assertThat(back).isEqualTo(plain);
  }

  @Test
  void decodesEveryFilterMaskCombination() throws IOException {
    byte[] plain = longs(1, -2, 3_000_000_000L, Long.MIN_VALUE);
    try (ChunkDecoder d = new ChunkDecoder(info(SHUFFLE_DEFLATE, 4))) {
      byte[][] stored = {
          deflate(shuffled(plain, 8)), // mask 00: both filters applied
          deflate(plain),              // mask 01: shuffle (filter 0) skipped
          shuffled(plain, 8),          // mask 10: deflate (filter 1) skipped
          plain};                      // mask 11: stored raw
      for (int mask = 0; mask < 4; mask++) {
        byte[] s = stored[mask];
        byte[] padded = new byte[s.length + 10]; // decode from the middle of a larger range buffer
        System.arraycopy(s, 0, padded, 7, s.length);
        byte[] out = d.decode(padded, 7, s.length, mask, new long[] {0});
        assertThat(Arrays.copyOf(out, 32)).as("mask " + mask).isEqualTo(plain);
      }
    }
  }

  @Test
  void corruptAndWrongSizedChunksFailNamingFileDatasetAndChunk() {
    byte[] plain = longs(1, 2, 3, 4);
    try (ChunkDecoder d = new ChunkDecoder(info(SHUFFLE_DEFLATE, 4))) {
      byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8};
      assertThatThrownBy(() -> d.decode(garbage, 0, garbage.length, 0, new long[] {40}))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("mem.h5").hasMessageContaining("/x").hasMessageContaining("[40]");
      byte[] z = deflate(shuffled(plain, 8));
      assertThatThrownBy(() -> d.decode(z, 0, z.length / 2, 0, new long[] {0}))
          .isInstanceOf(IOException.class).hasMessageContaining("truncated");
      byte[] shortChunk = deflate(Arrays.copyOf(plain, 24));
      assertThatThrownBy(() -> d.decode(shortChunk, 0, shortChunk.length, 0b01, new long[] {0}))
          .isInstanceOf(IOException.class).hasMessageContaining("decodes to 24 bytes, expected 32");
      byte[] longChunk = deflate(new byte[1 << 16]);
      assertThatThrownBy(() -> d.decode(longChunk, 0, longChunk.length, 0b01, new long[] {0}))
          .isInstanceOf(IOException.class).hasMessageContaining("inflates to more than");
    }
  }

  @Test
  void unknownFiltersAreRefusedNamingFileDatasetAndFilter() {
    DatasetInfo lzf = info(List.of(new FilterSpec(32000, "lzf", new int[0])), 4);
    assertThatThrownBy(() -> new ChunkDecoder(lzf)).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("mem.h5").hasMessageContaining("/x").hasMessageContaining("lzf")
        .hasMessageContaining("32000");
  }

  @Test
  void aDeflatedDeflateStreamDecodesThroughBothStages() throws IOException {
    byte[] plain = longs(5, 6, 7, 8);
    List<FilterSpec> twice = List.of(new FilterSpec(1, "deflate", new int[] {1}),
        new FilterSpec(1, "deflate", new int[] {9}));
    try (ChunkDecoder d = new ChunkDecoder(info(twice, 4))) {
      byte[] s = deflate(deflate(plain));
      assertThat(Arrays.copyOf(d.decode(s, 0, s.length, 0, new long[] {0}), 32)).isEqualTo(plain);
    }
  }
}
