package org.atl03.datasource.kerchunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.atl03.RefsGranuleFile;
import org.atl03.datasource.atl03.RefsOptions;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.DatasetReader;
import org.atl03.datasource.hdf5.ElementType;
import org.atl03.datasource.hdf5.FilterSpec;
import org.atl03.datasource.hdf5.MultiDatasetReader;
import org.atl03.datasource.hdf5.ReadOptions;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * References written by kerchunk 0.2.2 itself, read by our reader: every value of the 80 datasets of NASA's subset
 * equals what the HDF5 C library read (crc32, sum); the third-party reference files parse.
 */
class KerchunkFixturesTest {

  /** kerchunk wrote the bare name "ATL03_gt1l.h5"; the file sits in ../atl03/, given as dataDir. */
  static RefsGranuleFile openNasaRefs(String name, ReadMetrics metrics) throws Exception {
    Path refs = Fixtures.shared("kerchunk/" + name);
    Path dataDir = Fixtures.shared("atl03/ATL03_gt1l.h5").getParent();
    return RefsGranuleFile.open(refs.toUri().toString(), new HadoopStorage(new Configuration()), metrics,
        RefsOptions.DEFAULT.withDataDir(dataDir.toUri().toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ATL03_gt1l.kerchunk.json", "ATL03_gt1l.kerchunk.inline500.json"})
  void everyDatasetEqualsTheCLibrarysValues(String name) throws Exception {
    JsonNode expected = Fixtures.json(Fixtures.shared("atl03/ATL03_gt1l.expected.json")).get("datasets");
    ReadMetrics metrics = new ReadMetrics();
    try (RefsGranuleFile granule = openNasaRefs(name, metrics)) {
      assertThat(granule.dataLocation()).endsWith("/atl03/ATL03_gt1l.h5");
      assertThat(granule.references().arrays()).hasSize(80);
      int checked = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = e.getKey().substring(1);
        DatasetInfo info = granule.dataset(path);
        assertThat(info.type().numpyName()).as(path).isEqualTo(e.getValue().get("dtype").asText());
        ChunkIndex index = granule.chunkIndex(path);
        try (InputFile data = HadoopInputFile.open(new org.apache.hadoop.fs.Path(granule.dataLocation()),
            new Configuration());
             MultiDatasetReader reader = new MultiDatasetReader(data, ReadOptions.DEFAULT, List.of(index))) {
          // the reader's array may be longer than the rows: only theirs count
          byte[] bytes = java.util.Arrays.copyOf(reader.read(0, info.rows())[0],
              Math.toIntExact(info.rows() * info.rowElements() * info.type().size()));
          CRC32 crc = new CRC32();
          crc.update(bytes);
          assertThat(crc.getValue()).as(path).isEqualTo(e.getValue().get("crc32_le_bytes").asLong());
          assertThat(sum(bytes, info.type())).as(path)
              .isEqualTo(e.getValue().get("sum_float64").asDouble(), org.assertj.core.data.Offset.offset(
                  Math.abs(e.getValue().get("sum_float64").asDouble()) * 1e-12));
        }
        checked++;
      }
      assertThat(checked).isEqualTo(80);
    }
    assertThat(metrics.requests()).as("only the JSON is read through the metered granule").isGreaterThan(0);
  }

  @Test
  void inlinedChunksAreDecodedWithoutReadingTheDataFile() throws Exception {
    try (RefsGranuleFile granule = openNasaRefs("ATL03_gt1l.kerchunk.inline500.json", new ReadMetrics())) {
      ChunkIndex index = granule.chunkIndex("gt1l/bckgrd_atlas/bckgrd_int_height");
      assertThat(index.chunks()).allMatch(c -> c.isInline());
      ReadMetrics reads = new ReadMetrics();
      InputFile none = reads.meter(Fixtures.open(Fixtures.shared("atl03/ATL03_gt1l.h5")));
      try (DatasetReader reader = DatasetReader.chunked(index.dataset(), index, none, ReadOptions.DEFAULT)) {
        double[] v = reader.readAsDoubles(0, reader.rows());
        assertThat(v).hasSize(11378).containsOnly(5006.5341796875);
      }
      assertThat(reads.requests()).isZero();
    }
  }

  @Test
  void theGranuleAttributesComeFromZattrs() throws Exception {
    try (RefsGranuleFile granule = openNasaRefs("ATL03_gt1l.kerchunk.json", new ReadMetrics())) {
      assertThat(granule.attribute("gt1l", "atlas_beam_type")).isEqualTo("weak");
      assertThat(granule.attribute("/", "time_coverage_duration")).isEqualTo(309.0);
      assertThat((Object[]) granule.attribute("METADATA/Lineage/ATL02", "end_rgt")).containsExactly(235L, 235L, 235L);
      assertThat(granule.attribute("gt1l", "no_such_attribute")).isNull();
      assertThat(granule.dataset("gt1l/heights/signal_conf_ph").filters()).extracting(FilterSpec::id)
          .containsExactly(FilterSpec.SHUFFLE, FilterSpec.DEFLATE);
    }
  }

  @Test
  void thirdPartyReferencesParse() throws Exception {
    References single = parse("single_file_kerchunk.json");
    assertThat(single.version()).isEqualTo(1);
    assertThat(single.urls()).containsExactly("s3://wrf-se-ak-ar5/ccsm/rcp85/daily/2060/WRFDS_2060-01-01.nc");
    DatasetInfo acsnow = ZarrArrays.datasetInfo(single.location(), "ACSNOW", single.text("ACSNOW/.zarray"));
    assertThat(acsnow.chunkShape()).containsExactly(1, 250, 320);
    assertThat(acsnow.filters()).extracting(FilterSpec::id).containsExactly(FilterSpec.SHUFFLE, FilterSpec.DEFLATE);
    assertThat(acsnow.fillValueAsDouble()).isEqualTo(9.969209968386869e+36, org.assertj.core.data.Offset.offset(1e30));
    assertThat(single.get("ACSNOW/0.0.0")).isEqualTo(new References.Range(
        "s3://wrf-se-ak-ar5/ccsm/rcp85/daily/2060/WRFDS_2060-01-01.nc", 3133401, 7839));

    References multi = parse("multizarr_example.json");
    assertThat(multi.urls()).hasSize(10).allMatch(u -> u.startsWith("s3://noaa-nwm-retro-v2.0-pds/full_physics/"));
    assertThat(multi.get("feature_id/0")).isEqualTo(new References.Range(
        "s3://noaa-nwm-retro-v2.0-pds/full_physics/2017/201704010000.CHRTOUT_DOMAIN1.comp", 43874, 1262537));
    assertThat(ZarrArrays.datasetInfo(multi.location(), "streamflow", multi.text("streamflow/.zarray")).filters())
        .extracting(FilterSpec::id).containsExactly(FilterSpec.DEFLATE);
    assertThatThrownBy(() -> ZarrArrays.datasetInfo(multi.location(), "time", multi.text("time/.zarray")))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("multizarr_example.json")
        .hasMessageContaining("array time");
    assertThat(multi.get("time/0")).isInstanceOf(References.Inline.class);

    References live = parse("its_live_catalog.json");
    DatasetInfo chip = ZarrArrays.datasetInfo(live.location(), "chip_size_height", live.text("chip_size_height/.zarray"));
    assertThat(chip.type()).isEqualTo(new ElementType(ElementType.DataClass.INTEGER, 2, false, false));
    assertThat(chip.chunkShape()).containsExactly(896, 552);
    assertThat(live.chunkKeys("chip_size_height")).containsExactly("chip_size_height/0.0", "chip_size_height/1.0");
    assertThat(live.refs().values()).filteredOn(r -> r instanceof References.Inline i && i.data().length > 0)
        .isNotEmpty();
  }

  @Test
  void templatesAndGenAreExpanded() throws Exception {
    String json = """
        {"version": 1, "templates": {"u": "s3://bucket/granule.h5"},
         "gen": [{"key": "x/{{i}}", "url": "{{u}}", "offset": "{{100 + i * 10}}", "length": "10",
                  "dimensions": {"i": {"stop": 3}}}],
         "refs": {".zgroup": "{\\"zarr_format\\":2}", "y/0": ["{{u}}", 5, 6], "z/0": "base64:AAE=", "w": ["{{u}}"]}}
        """;
    References refs = RefsParser.parse(json.getBytes(), "mem.json");
    assertThat(refs.get("x/2")).isEqualTo(new References.Range("s3://bucket/granule.h5", 120, 10));
    assertThat(refs.get("y/0")).isEqualTo(new References.Range("s3://bucket/granule.h5", 5, 6));
    assertThat(((References.Inline) refs.get("z/0")).data()).containsExactly(0, 1);
    assertThat(((References.Range) refs.get("w")).wholeFile()).isTrue();
    assertThat(refs.text(".zgroup")).isEqualTo("{\"zarr_format\":2}");
    assertThat(RefsParser.parse("{\"a/.zarray\": \"{}\"}".getBytes(), "v0.json").version()).isZero();
    assertThatThrownBy(() -> RefsParser.parse("{\"version\": 2, \"refs\": {}}".getBytes(), "v2.json"))
        .hasMessageContaining("v2.json").hasMessageContaining("version");
  }

  private static References parse(String name) throws Exception {
    Path p = Fixtures.shared("kerchunk/" + name);
    return RefsParser.parse(Files.readAllBytes(p), p.toString());
  }

  private static double sum(byte[] bytes, ElementType type) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    double s = 0;
    for (int i = 0; i < bytes.length; i += type.size()) {
      s += switch (type.dataClass()) {
        case FLOAT -> type.size() == 4 ? b.getFloat(i) : b.getDouble(i);
        default -> switch (type.size()) {
          case 1 -> type.signed() ? b.get(i) : Byte.toUnsignedInt(b.get(i));
          case 2 -> type.signed() ? b.getShort(i) : Short.toUnsignedInt(b.getShort(i));
          case 4 -> type.signed() ? b.getInt(i) : Integer.toUnsignedLong(b.getInt(i));
          default -> (double) b.getLong(i);
        };
      };
    }
    return s;
  }
}
