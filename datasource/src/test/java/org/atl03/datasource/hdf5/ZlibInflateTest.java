package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.io.InputFile;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libdeflate and the JDK's zlib give the same bytes for every stream and refuse the same streams: seeded streams of
 * every level, every stored chunk of the real and edge-case files and of a synthetic granule, and those chunks
 * mutated. The project installs libdeflate0 (bin/ensure-system-deps), so its absence fails here.
 */
class ZlibInflateTest {

  @TempDir
  static Path dir;

  @BeforeAll
  static void libdeflateIsLoaded() {
    assertThat(Libdeflate.unavailableReason()).as("libdeflate0 is installed by bin/ensure-system-deps").isNull();
  }

  @Test
  void seededStreamsOfEveryLevelInflateToTheSameBytes() throws IOException {
    Random random = new Random(20261207L);
    try (ZlibInflate jdk = new JdkInflate(); ZlibInflate fast = new Libdeflate()) {
      for (int i = 0; i < 300; i++) {
        byte[] plain = new byte[random.nextInt(200_000)];
        // runs of repeated values, like ATL03's shuffled floats: compressible but not trivially so
        for (int p = 0; p < plain.length; ) {
          byte value = (byte) random.nextInt(1 << (1 + random.nextInt(8)));
          int run = 1 + random.nextInt(64);
          Arrays.fill(plain, p, Math.min(plain.length, p + run), value);
          p += run;
        }
        byte[] stream = deflate(plain, i % 10);
        byte[] a = new byte[plain.length];
        byte[] b = new byte[plain.length];
        assertThat(jdk.inflate(stream, 0, stream.length, a)).as("stream %d", i).isEqualTo(plain.length);
        assertThat(fast.inflate(stream, 0, stream.length, b)).as("stream %d", i).isEqualTo(plain.length);
        assertThat(b).as("stream %d", i).isEqualTo(a).isEqualTo(plain);
        if (plain.length > 0) {
          byte[] small = new byte[plain.length - 1];
          assertThat(jdk.inflate(stream, 0, stream.length, small)).as("too small, stream %d", i).isEqualTo(-1);
          assertThat(fast.inflate(stream, 0, stream.length, small)).as("too small, stream %d", i).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void aStreamAtAnOffsetWithBytesAfterItIsReadAlone() throws IOException {
    byte[] plain = "ATL03 photons, ATL03 photons, ATL03 photons".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] stream = deflate(plain, 6);
    byte[] framed = new byte[stream.length + 20];
    System.arraycopy(stream, 0, framed, 7, stream.length);
    Arrays.fill(framed, 7 + stream.length, framed.length, (byte) 0x5a);
    for (ZlibInflate inflater : new ZlibInflate[] {new JdkInflate(), new Libdeflate()}) {
      try (inflater) {
        byte[] out = new byte[100];
        int n = inflater.inflate(framed, 7, stream.length + 13, out);
        assertThat(Arrays.copyOf(out, n)).as(inflater.getClass().getSimpleName()).isEqualTo(plain);
      }
    }
  }

  @Test
  void truncatedAndCorruptStreamsAreRefusedByBoth() {
    byte[] stream = deflate(new byte[50_000], 6);
    byte[] truncated = Arrays.copyOf(stream, stream.length / 2);
    byte[] corrupt = stream.clone();
    corrupt[0] = 0x00; // not a zlib header
    for (ZlibInflate inflater : new ZlibInflate[] {new JdkInflate(), new Libdeflate()}) {
      try (inflater) {
        assertThatThrownBy(() -> inflater.inflate(truncated, 0, truncated.length, new byte[50_000]))
            .isInstanceOf(IOException.class).hasMessageContaining("deflate stream");
        assertThatThrownBy(() -> inflater.inflate(corrupt, 0, corrupt.length, new byte[50_000]))
            .isInstanceOf(IOException.class).hasMessageContaining("deflate stream");
      }
    }
  }

  @Test
  void theDecoderNamesTheChunkOfAStreamEitherInflaterRefuses() {
    DatasetInfo info = new DatasetInfo("mem.h5", "/x", new ElementType(ElementType.DataClass.INTEGER, 8,
        java.nio.ByteOrder.LITTLE_ENDIAN, true), new long[] {100}, new int[] {100}, StorageKind.CHUNKED,
        List.of(new FilterSpec(1, "deflate", new int[] {6})), new byte[8]);
    byte[] stream = deflate(new byte[800], 6);
    byte[] truncated = Arrays.copyOf(stream, 5);
    for (ZlibInflate inflater : new ZlibInflate[] {new JdkInflate(), new Libdeflate()}) {
      try (ChunkDecoder decoder = new ChunkDecoder(info, inflater)) {
        assertThatThrownBy(() -> decoder.decode(truncated, 0, truncated.length, 0, new long[] {0}))
            .isInstanceOf(IOException.class).hasMessageContaining("mem.h5").hasMessageContaining("/x")
            .hasMessageContaining("chunk at offset [0]");
      }
    }
  }

  /** One stored chunk of a file: what a decoder is given. */
  private record Stored(String where, DatasetInfo info, ChunkDescriptor chunk, byte[] bytes) {}

  @Test
  void everyStoredChunkOfEveryFixtureDecodesToTheSameBytesAndSoDoMutatedOnes() throws Exception {
    List<Path> files = new ArrayList<>(List.of(Fixtures.shared("atl03/ATL03_gt1l.h5"),
        Fixtures.shared("atl03/ATL03_indexbegin_start_end_FVs.h5"), Fixtures.shared("atl08/ATL03_clip_gt1r.h5"),
        Fixtures.shared("atl08/ATL08_clip_gt1r.h5")));
    files.addAll(Generator.generate(new GeneratorOptions(dir.resolve("synthetic"), 1, 30_000, 7, Layout.V006)));
    Fixtures.edgeCases(Files.createDirectories(dir.resolve("edge")));
    try (Stream<Path> s = Files.list(dir.resolve("edge"))) {
      s.filter(p -> p.toString().endsWith(".h5")).sorted().forEach(files::add);
    }
    List<Stored> chunks = new ArrayList<>();
    for (Path file : files) {
      chunks.addAll(storedChunks(file));
    }
    assertThat(chunks.stream().map(c -> c.where().substring(0, c.where().indexOf(' '))).distinct())
        .as("files with chunks").hasSizeGreaterThanOrEqualTo(10);
    assertThat(chunks.stream().filter(c -> c.chunk().filterMask() != 0)).as("chunks with a filter mask").isNotEmpty();

    long bytes = 0;
    for (Stored c : chunks) {
      bytes += compare(c, c.bytes());
    }
    assertThat(bytes).as("decoded bytes compared").isGreaterThan(10_000_000L);

    Random random = new Random(20261207L);
    int refused = 0;
    for (int i = 0; i < 3_000; i++) {
      Stored c = chunks.get(random.nextInt(chunks.size()));
      if (compare(c, mutate(c.bytes(), random)) < 0) {
        refused++;
      }
    }
    assertThat(refused).as("mutations refused by both (the rest decoded alike)").isBetween(100, 2_999);
  }

  private static List<Stored> storedChunks(Path file) throws IOException {
    List<Stored> out = new ArrayList<>();
    try (InputFile in = Fixtures.open(file); Hdf5File f = Hdf5File.open(in)) {
      for (String path : f.datasetPaths()) {
        DatasetInfo info;
        ChunkIndex index;
        try {
          info = f.dataset(path);
          if (info.storage() != StorageKind.CHUNKED || info.filters().isEmpty()) {
            continue;
          }
          index = f.chunkIndex(path);
        } catch (RuntimeException refused) { // datasets our reader refuses have their own tests
          continue;
        }
        for (ChunkDescriptor c : index.chunks()) {
          byte[] stored = new byte[c.storedSize()];
          in.readFully(c.fileOffset(), stored, 0, stored.length);
          out.add(new Stored(file.getFileName() + " " + path + " " + Arrays.toString(c.offset()), info, c, stored));
        }
      }
    }
    return out;
  }

  /** Decodes with both inflaters: the same bytes (returns their count) or both refuse (returns -1). */
  private static long compare(Stored c, byte[] stored) {
    byte[] jdk = decode(c, stored, new JdkInflate());
    byte[] fast = decode(c, stored, new Libdeflate());
    assertThat(fast == null).as("libdeflate refuses %s exactly when the JDK does", c.where()).isEqualTo(jdk == null);
    if (jdk == null) {
      return -1;
    }
    assertThat(fast).as(c.where()).isEqualTo(jdk);
    return jdk.length;
  }

  private static byte[] decode(Stored c, byte[] stored, ZlibInflate inflater) {
    try (ChunkDecoder decoder = new ChunkDecoder(c.info(), inflater)) {
      byte[] out = decoder.decode(stored, 0, stored.length, c.chunk().filterMask(), c.chunk().offset());
      return Arrays.copyOf(out, decoder.chunkBytes());
    } catch (IOException e) {
      assertThat(e.getMessage()).as("names the chunk").contains(c.info().describe());
      return null;
    }
  }

  /** Flips bytes, overwrites a run, truncates or appends, as a damaged store or a bad write would. */
  private static byte[] mutate(byte[] stored, Random random) {
    byte[] m = stored.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int k = 1 + random.nextInt(8); k > 0 && m.length > 0; k--) {
          m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
        }
      }
      case 1 -> {
        if (m.length > 0) {
          int at = random.nextInt(m.length);
          byte[] run = new byte[Math.min(m.length - at, 1 + random.nextInt(32))];
          random.nextBytes(run);
          System.arraycopy(run, 0, m, at, run.length);
        }
      }
      case 2 -> m = Arrays.copyOf(m, random.nextInt(m.length + 1));
      default -> {
        m = Arrays.copyOf(m, m.length + 1 + random.nextInt(64));
        for (int k = stored.length; k < m.length; k++) {
          m[k] = (byte) random.nextInt(256);
        }
      }
    }
    return m;
  }

  /** A zlib stream of {@code in} at {@code level}, by the JDK's Deflater. */
  static byte[] deflate(byte[] in, int level) {
    Deflater d = new Deflater(level);
    d.setInput(in);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }
}
