package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.kerchunk.References;
import org.atl03.datasource.kerchunk.RefsParser;
import org.atl03.datasource.spark.SparkTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * format("atl03") on kerchunk 0.2.2's references of NASA's subset: the same rows as on the HDF5 file, whole and
 * under a box filter, and planning reads only the JSON and the segment index's chunks (no HDF5 metadata).
 */
class Atl03SourceOnRefsTest {

  private static final String BOX = "lon_ph between 150 and 179.5 and lat_ph between 87.29 and 87.30";
  private static SparkSession spark;
  private static Path h5;

  @BeforeAll
  static void start() {
    h5 = Fixtures.shared("atl03/ATL03_gt1l.h5");
    spark = SparkTestSupport.localSpark();
    spark.conf().set(HadoopSettings.REFS_DATA_DIR, h5.getParent().toUri().toString()); // kerchunk wrote a bare file name
  }

  @AfterAll
  static void stop() {
    spark.conf().unset(HadoopSettings.REFS_DATA_DIR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ATL03_gt1l.kerchunk.json", "ATL03_gt1l.kerchunk.inline500.json"})
  void sameRowsAsTheHdf5AndNoHdf5MetadataReads(String name) throws Exception {
    String refs = Fixtures.shared("kerchunk/" + name).toString();
    List<Row> fromH5 = spark.read().format("atl03").load(h5.toString()).orderBy("photon_index").collectAsList();
    Dataset<Row> scan = spark.read().format("atl03").load(refs);
    assertThat(scan.schema()).isEqualTo(spark.read().format("atl03").load(h5.toString()).schema());
    List<Row> fromRefs = scan.orderBy("photon_index").collectAsList();
    assertThat(fromRefs).hasSize(2909).isEqualTo(fromH5);

    Dataset<Row> h5Box = spark.read().format("atl03").load(h5.toString()).where(BOX).select("photon_index", "h_ph");
    Dataset<Row> refsBox = spark.read().format("atl03").load(refs).where(BOX).select("photon_index", "h_ph");
    List<Row> expected = h5Box.collectAsList();
    assertThat(expected).isNotEmpty().hasSizeLessThan(2909);
    assertThat(refsBox.collectAsList()).containsExactlyInAnyOrderElementsOf(expected);
    Map<String, Long> h5Metrics = SparkTestSupport.scanMetrics(h5Box);
    Map<String, Long> refsMetrics = SparkTestSupport.scanMetrics(refsBox);
    System.out.printf("%s: planning requests %d (%d bytes) vs HDF5 %d (%d bytes); task bytes %d vs %d%n", name,
        refsMetrics.get("planningReadRequests"), refsMetrics.get("planningBytesRead"),
        h5Metrics.get("planningReadRequests"), h5Metrics.get("planningBytesRead"),
        refsMetrics.get("bytesRead"), h5Metrics.get("bytesRead"));
    // one read of the JSON plus one per stored (not inlined) chunk of what a box needs of the segment index:
    // counts and reference positions (no times without a time filter, no ids without segment_id)
    References parsed = RefsParser.parse(java.nio.file.Files.readAllBytes(Path.of(refs)), refs);
    long segmentChunkReads = Stream.of("segment_ph_cnt", "reference_photon_lat", "reference_photon_lon")
        .flatMap(d -> parsed.chunkKeys("gt1l/geolocation/" + d).stream())
        .filter(k -> parsed.get(k) instanceof References.Range).count();
    assertThat(refsMetrics.get("planningReadRequests")).isEqualTo(1 + segmentChunkReads)
        .isLessThan(h5Metrics.get("planningReadRequests"));
    assertThat(refsMetrics.get("photonsReturned")).isEqualTo(h5Metrics.get("photonsReturned"));
  }

  @Test
  void theDataDirectoryAndTheAllowedPrefixesAreReadOptionsToo() {
    String refs = Fixtures.shared("kerchunk/ATL03_gt1l.kerchunk.json").toString();
    String dataDir = h5.getParent().toUri().toString();
    spark.conf().unset(HadoopSettings.REFS_DATA_DIR);
    try {
      assertThat(spark.read().format("atl03").option("dataDir", dataDir).load(refs).count()).isEqualTo(2909);
      assertThatThrownBy(() -> spark.read().format("atl03").option("dataDir", dataDir)
              .option("allowedPrefixes", "file:/nowhere/").load(refs).count())
          .hasStackTraceContaining("ATL03_gt1l.kerchunk.json")
          .hasStackTraceContaining("ATL03_gt1l.h5");
    } finally {
      spark.conf().set(HadoopSettings.REFS_DATA_DIR, dataDir);
    }
  }
}
