package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.atl03.datasource.Fixtures;
import org.junit.jupiter.api.Test;

/** Indexes travel to tasks inside partitions: compact, and read back equal, inline chunks and all. */
class ChunkIndexSerializationTest {

  @Test
  void everyIndexOfTheNasaSubsetComesBackEqualAtAFewDozenBytesAChunk() throws Exception {
    int indexes = 0;
    try (Hdf5File f = Hdf5File.open(Fixtures.open(Fixtures.shared("atl03/ATL03_gt1l.h5")))) {
      for (String path : f.datasetPaths()) {
        if (f.dataset(path).storage() != StorageKind.CHUNKED) {
          continue;
        }
        ChunkIndex index = f.chunkIndex(path);
        byte[] bytes = serialize(index);
        ChunkIndex back = deserialize(bytes);
        assertThat(back.chunks()).as(path).isEqualTo(index.chunks());
        assertThat(back.chunksInFileOrder()).as(path).isEqualTo(index.chunksInFileOrder());
        assertThat(back.dataset().toString()).as(path).isEqualTo(index.dataset().toString());
        if (index.chunks().size() >= 50) {
          long infoBytes = serialize(index.forRows(0, 0)).length; // the dataset's description alone
          assertThat((bytes.length - infoBytes) / index.chunks().size()).as(path + " bytes a chunk").isLessThan(48);
        }
        indexes++;
      }
    }
    assertThat(indexes).isGreaterThan(20);
  }

  @Test
  void inlineChunksAndAnEmptyIndexComeBackEqual() throws Exception {
    DatasetInfo info = new DatasetInfo("mem.h5", "/x", new ElementType(ElementType.DataClass.INTEGER, 8,
        java.nio.ByteOrder.LITTLE_ENDIAN, true), new long[] {30}, new int[] {10}, StorageKind.CHUNKED, List.of(),
        new byte[8]);
    List<ChunkDescriptor> chunks = new ArrayList<>();
    chunks.add(ChunkDescriptor.inline(new long[] {0}, new byte[80], 0, 10));
    chunks.add(new ChunkDescriptor(new long[] {20}, 4096, 80, 1, 20, 10));
    ChunkIndex index = ChunkIndex.of(info, chunks);
    ChunkIndex back = deserialize(serialize(index));
    assertThat(back.chunks()).isEqualTo(index.chunks());
    assertThat(back.chunks().get(0).isInline()).isTrue();
    assertThat(back.chunks().get(1).isInline()).isFalse();
    assertThat(deserialize(serialize(ChunkIndex.of(info, List.of()))).chunks()).isEmpty();
  }

  private static byte[] serialize(ChunkIndex index) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(index);
    }
    return bytes.toByteArray();
  }

  private static ChunkIndex deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (ChunkIndex) in.readObject();
    }
  }
}
