package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.util.Arrays;
import org.atl03.datasource.io.ByteArrayInputFile;
import org.junit.jupiter.api.Test;

class HdfChannelTest {

  private static byte[] data() {
    byte[] b = new byte[1000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 7);
    }
    return b;
  }

  @Test
  void positionalReadsAreCorrectAndFillTheBuffer() throws Exception {
    byte[] data = data();
    try (HdfChannel ch = new HdfChannel(new ByteArrayInputFile("mem", data))) {
      assertThat(ch.size()).isEqualTo(1000);
      ByteBuffer heap = ByteBuffer.allocate(100);
      assertThat(ch.read(heap, 450)).isEqualTo(100);
      assertThat(heap.array()).isEqualTo(Arrays.copyOfRange(data, 450, 550));

      ByteBuffer direct = ByteBuffer.allocateDirect(64);
      assertThat(ch.read(direct, 10)).isEqualTo(64);
      direct.flip();
      byte[] got = new byte[64];
      direct.get(got);
      assertThat(got).isEqualTo(Arrays.copyOfRange(data, 10, 74));

      ByteBuffer tail = ByteBuffer.allocate(50);
      assertThat(ch.read(tail, 980)).isEqualTo(20); // short only at the end of the file
      assertThat(ch.read(ByteBuffer.allocate(5), 1000)).isEqualTo(-1);
      assertThat(ch.position()).isZero(); // positional reads leave the position alone
    }
  }

  @Test
  void relativeReadsAdvanceThePosition() throws Exception {
    byte[] data = data();
    try (HdfChannel ch = new HdfChannel(new ByteArrayInputFile("mem", data))) {
      ch.position(995);
      ByteBuffer b = ByteBuffer.allocate(3);
      assertThat(ch.read(b)).isEqualTo(3);
      assertThat(ch.position()).isEqualTo(998);
      assertThat(b.array()).isEqualTo(Arrays.copyOfRange(data, 995, 998));
    }
  }

  @Test
  void mapAndWritesAreRefused() throws Exception {
    HdfChannel ch = new HdfChannel(new ByteArrayInputFile("mem", data()));
    assertThatThrownBy(() -> ch.map(FileChannel.MapMode.READ_ONLY, 0, 10))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("mem");
    assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1), 0)).isInstanceOf(NonWritableChannelException.class);
    assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
    assertThatThrownBy(() -> ch.truncate(0)).isInstanceOf(NonWritableChannelException.class);
    ch.close();
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), 0)).isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void closingTheChannelLeavesTheFileToItsOwner() throws Exception {
    ByteArrayInputFile file = new ByteArrayInputFile("mem", data());
    new HdfChannel(file).close();
    assertThat(file.isClosed()).isFalse();
  }
}
