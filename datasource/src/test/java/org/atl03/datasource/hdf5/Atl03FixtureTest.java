package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.CRC32;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.io.RangeCoalescer;
import org.atl03.datasource.io.ReadMetrics;
import org.junit.jupiter.api.Test;

/** Every dataset of the real ATL03 files, read by our chunk reader, against values from the HDF5 C library. */
class Atl03FixtureTest {

  private static final String GT1L = "atl03/ATL03_gt1l.h5";

  @Test
  void everyDatasetOfAtl03Gt1lMatchesTheCLibrary() throws Exception {
    int checked = checkAll(GT1L, "atl03/ATL03_gt1l.expected.json");
    assertThat(checked).isEqualTo(80);
  }

  @Test
  void phIndexBegFileMatchesTheCLibrary() throws Exception {
    int checked = checkAll("atl03/ATL03_indexbegin_start_end_FVs.h5",
        "atl03/ATL03_indexbegin_start_end_FVs.expected.json");
    assertThat(checked).isEqualTo(1);
    try (Hdf5File f = Hdf5File.open(Fixtures.open(Fixtures.shared("atl03/ATL03_indexbegin_start_end_FVs.h5")))) {
      long[] all = f.reader("/ph_index_beg").readLongs(0, 149_697);
      assertThat(f.chunkIndex("/ph_index_beg").chunks()).hasSize(15);
      // sub-ranges across chunk boundaries, starting and ending mid-chunk
      try (DatasetReader r = f.reader("/ph_index_beg")) {
        for (long[] range : new long[][] {{9_999, 10_001}, {12_345, 67_891}, {0, 1}, {149_000, 149_697}}) {
          long[] part = r.readLongs(range[0], range[1]);
          assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(all, (int) range[0], (int) range[1]));
        }
      }
    }
  }

  private static int checkAll(String file, String expectedJson) throws Exception {
    JsonNode expected = Fixtures.json(Fixtures.shared(expectedJson)).get("datasets");
    int n = 0;
    try (Hdf5File f = Hdf5File.open(Fixtures.open(Fixtures.shared(file)))) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        checkDataset(f, e.getKey(), e.getValue());
        n++;
      }
    }
    return n;
  }

  private static void checkDataset(Hdf5File f, String path, JsonNode exp) throws Exception {
    DatasetInfo info = f.dataset(path);
    String what = f.location() + " " + path;
    assertThat(info.type().numpyName()).as(what).isEqualTo(exp.get("dtype").asText());
    assertThat(info.shape()).as(what).isEqualTo(longs(exp.get("shape")));
    assertThat(info.chunkShape()).as(what).isEqualTo(ints(exp.get("chunks")));
    assertThat(info.storage()).isEqualTo(StorageKind.CHUNKED);
    List<String> filters = new ArrayList<>();
    for (FilterSpec s : info.filters()) {
      filters.add(switch (s.id()) {
        case FilterSpec.DEFLATE -> "gzip";
        case FilterSpec.SHUFFLE -> "shuffle";
        default -> s.name();
      });
      if (s.id() == FilterSpec.DEFLATE) {
        assertThat(s.deflateLevel()).as(what).isEqualTo(6);
      }
    }
    assertThat(filters).as(what).isEqualTo(strings(exp.get("filters")));

    try (DatasetReader r = f.reader(path)) {
      ByteBuffer all = r.read(0, r.rows());
      CRC32 crc = new CRC32();
      crc.update(all.duplicate());
      assertThat(crc.getValue()).as(what + " crc32").isEqualTo(exp.get("crc32_le_bytes").asLong());
      double[] v = r.readAsDoubles(0, r.rows());
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (double d : v) {
        min = Math.min(min, d);
        max = Math.max(max, d);
        sum += d;
      }
      assertThat(min).as(what + " min").isEqualTo(exp.get("min").asDouble());
      assertThat(max).as(what + " max").isEqualTo(exp.get("max").asDouble());
      double expSum = exp.get("sum_float64").asDouble();
      assertThat(sum).as(what + " sum").isCloseTo(expSum, within(Math.abs(expSum) * 1e-12 + 1e-9));

      // sub-ranges that start and end mid-chunk equal the same slice of the full read
      long rows = r.rows();
      int rowBytes = info.rowElements() * info.type().size();
      for (long[] range : new long[][] {{1, rows - 1}, {rows / 3, rows / 2 + 1}, {rows - 1, rows}, {5, 5}}) {
        if (range[0] > range[1] || range[1] > rows) {
          continue;
        }
        ByteBuffer part = r.read(range[0], range[1]);
        ByteBuffer slice = all.duplicate().position((int) range[0] * rowBytes).limit((int) range[1] * rowBytes);
        assertThat(part).as(what + " rows " + range[0] + ".." + range[1]).isEqualTo(slice.slice());
      }
    }
  }

  @Test
  void chunksStoredOutOfIndexOrderAreReadCorrectlyWithAndWithoutCoalescing() throws Exception {
    Path file = Fixtures.shared(GT1L);
    String path = "/gt1l/bckgrd_atlas/bckgrd_hist_top";
    JsonNode exp = Fixtures.json(Fixtures.shared("atl03/ATL03_gt1l.expected.json")).get("datasets").get(path);
    for (RangeCoalescer coalescer : new RangeCoalescer[] {RangeCoalescer.DEFAULT, RangeCoalescer.NONE}) {
      ReadMetrics metrics = new ReadMetrics();
      try (Hdf5File f = Hdf5File.open(metrics.meter(Fixtures.open(file)),
          ReadOptions.DEFAULT.withCoalescer(coalescer))) {
        ChunkIndex index = f.chunkIndex(path);
        assertThat(index.chunks()).hasSize(2);
        // the second chunk (rows 10000..11377) lies before the first one in the file
        assertThat(index.chunks().get(1).fileOffset()).isLessThan(index.chunks().get(0).fileOffset());
        assertThat(index.chunksInFileOrder()).containsExactly(index.chunks().get(1), index.chunks().get(0));
        assertThat(index.chunks().get(1).firstRow()).isEqualTo(10_000);
        assertThat(index.chunks().get(1).rowCount()).isEqualTo(1_378);
        long before = metrics.requests();
        long bytesBefore = metrics.bytes();
        try (DatasetReader r = f.reader(path)) {
          CRC32 crc = new CRC32();
          crc.update(r.read(0, r.rows()));
          assertThat(crc.getValue()).isEqualTo(exp.get("crc32_le_bytes").asLong());
        }
        long requests = metrics.requests() - before;
        // 816 + 4597 bytes with a 3009-byte gap: one merged request by default, two without coalescing
        assertThat(requests).as(coalescer.toString()).isEqualTo(coalescer == RangeCoalescer.NONE ? 2 : 1);
        assertThat(metrics.bytes() - bytesBefore).isEqualTo(coalescer == RangeCoalescer.NONE
            ? index.storedBytes()
            : index.chunks().get(0).fileOffset() + index.chunks().get(0).storedSize()
                - index.chunks().get(1).fileOffset());
      }
    }
  }

  @Test
  void chunkDescriptorsMatchTheFile() throws Exception {
    try (Hdf5File f = Hdf5File.open(Fixtures.open(Fixtures.shared(GT1L)))) {
      assertThat(f.userBlockSize()).isZero();
      ChunkIndex idx = f.chunkIndex("/gt1l/bckgrd_atlas/bckgrd_counts");
      // offsets and sizes as reported by h5py's get_chunk_info for this file
      assertThat(idx.chunks()).extracting(ChunkDescriptor::fileOffset).containsExactly(1_480_340L, 1_489_667L);
      assertThat(idx.chunks()).extracting(ChunkDescriptor::storedSize).containsExactly(9_327, 1_380);
      assertThat(idx.chunks()).extracting(ChunkDescriptor::filterMask).containsOnly(0);
      assertThat(idx.chunksForRows(9_999, 10_001)).hasSize(2);
      assertThat(idx.chunksForRows(10_000, 10_001)).containsExactly(idx.chunks().get(1));
      ChunkIndex conf = f.chunkIndex("/gt1l/heights/signal_conf_ph");
      assertThat(conf.chunks()).singleElement().satisfies(c -> {
        assertThat(c.offset()).containsExactly(0, 0);
        assertThat(c.rowCount()).isEqualTo(2_909);
      });
      assertThat(f.dataset("/gt1l/geolocation/altitude_sc").fillValueAsDouble()).isEqualTo(Double.MAX_VALUE);
      assertThat(f.dataset("/gt1l/geophys_corr/dem_flag").fillValueAsDouble()).isEqualTo(127);
    }
  }

  @Test
  void metadataIsServedFromFewBlockReadsAndDataFromChunkReads() throws Exception {
    ReadMetrics metrics = new ReadMetrics();
    try (Hdf5File f = Hdf5File.open(metrics.meter(Fixtures.open(Fixtures.shared(GT1L))))) {
      for (String p : new String[] {"/gt1l/heights/h_ph", "/gt1l/heights/lat_ph", "/gt1l/heights/lon_ph",
          "/gt1l/heights/delta_time", "/gt1l/heights/signal_conf_ph"}) {
        f.chunkIndex(p);
      }
      long metadataRequests = metrics.requests();
      long before = metrics.requests();
      try (DatasetReader r = f.reader("/gt1l/heights/lat_ph")) {
        assertThat(r.readDoubles(0, 2_909)).hasSize(2_909);
      }
      assertThat(metrics.requests() - before).isEqualTo(1); // one chunk, one request, no metadata re-read
      assertThat(metadataRequests).isLessThan(15);
    }
  }

  @Test
  void errorsNameTheFileAndTheObject() throws Exception {
    try (Hdf5File f = Hdf5File.open(Fixtures.open(Fixtures.shared(GT1L)))) {
      assertThatThrownBy(() -> f.dataset("/gt1l/heights/nope"))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessageContaining("ATL03_gt1l.h5").hasMessageContaining("dataset /gt1l/heights/nope not found");
      assertThatThrownBy(() -> f.dataset("/gt1l/heights")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ATL03_gt1l.h5").hasMessageContaining("not a dataset");
      try (DatasetReader r = f.reader("/gt1l/heights/h_ph")) {
        assertThatThrownBy(() -> r.readDoubles(0, 10)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("<f4");
        assertThatThrownBy(() -> r.read(0, 2_910)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessageContaining("h_ph");
      }
    }
  }

  private static long[] longs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }
}
