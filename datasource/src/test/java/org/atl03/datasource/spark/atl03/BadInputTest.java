package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.spark.SparkTestSupport;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.python.TestScripts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the source cannot read fail the query with an error naming the file (and dataset), or, with
 * ignoreCorruptFiles, are skipped while the good granules of the same load give all their rows; odd but valid
 * granules (a beam without photons) read normally.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

  private static final long PHOTONS_PER_STRONG_BEAM = 30_000;
  private static final String CORRUPTED_DATASET = "gt1l/heights/h_ph";

  private SparkSession spark;
  private Path good;
  private long goodPhotons;
  private Path notHdf5;
  private Path truncated;
  private Path corruptedChunk;
  private Path emptyBeam;
  private Path notAtl03;
  private Path withoutHeights;

  @BeforeAll
  void makeFiles(@TempDir Path tmp) throws Exception {
    Configurator.setLevel("io.jhdf", Level.WARN);
    good = Generator.generate(new GeneratorOptions(tmp.resolve("good"), 1, PHOTONS_PER_STRONG_BEAM, 5, Layout.V006))
        .get(0);
    goodPhotons = 3 * PHOTONS_PER_STRONG_BEAM + 3 * PHOTONS_PER_STRONG_BEAM / 4;
    Path bad = Files.createDirectories(tmp.resolve("bad"));

    notHdf5 = bad.resolve("ATL03_random_bytes.h5");
    byte[] noise = new byte[64 * 1024];
    new Random(3).nextBytes(noise);
    Files.write(notHdf5, noise);

    byte[] granule = Files.readAllBytes(good);
    truncated = bad.resolve("ATL03_truncated.h5");
    Files.write(truncated, java.util.Arrays.copyOf(granule, granule.length / 2));

    corruptedChunk = bad.resolve("ATL03_corrupted_chunk.h5");
    Files.copy(good, corruptedChunk);
    ChunkDescriptor chunk;
    try (Hdf5File file = Hdf5File.open(HadoopInputFile.open(
        new org.apache.hadoop.fs.Path(good.toUri()), new Configuration()))) {
      chunk = file.chunkIndex(CORRUPTED_DATASET).chunks().get(0);
    }
    try (RandomAccessFile raf = new RandomAccessFile(corruptedChunk.toFile(), "rw")) {
      long middle = chunk.fileOffset() + chunk.storedSize() / 2;
      for (int i = 0; i < 64; i++) {
        raf.seek(middle + i);
        int b = raf.read();
        raf.seek(middle + i);
        raf.write(~b);
      }
    }

    emptyBeam = bad.resolve("ATL03_empty_gt1r.h5");
    TestScripts.run("edit_granule.py", "empty-beam", good.toString(), emptyBeam.toString(), "gt1r");
    notAtl03 = bad.resolve("ATL06_like.h5");
    TestScripts.run("edit_granule.py", "not-atl03", notAtl03.toString());
    withoutHeights = bad.resolve("ATL03_without_gt2l_h_ph.h5");
    TestScripts.run("edit_granule.py", "drop-dataset", good.toString(), withoutHeights.toString(),
        "gt2l/heights/h_ph");
    spark = SparkTestSupport.localSpark();
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void aFileOfRandomBytesFailsTheQueryNamingIt() {
    assertThatThrownBy(() -> spark.read().format("atl03").load(notHdf5.toString()).count())
        .hasStackTraceContaining(notHdf5.getFileName().toString());
  }

  @Test
  void aTruncatedGranuleFailsTheQueryNamingIt() {
    assertThatThrownBy(() -> spark.read().format("atl03").load(truncated.toString()).selectExpr("sum(h_ph)")
        .collectAsList())
        .hasStackTraceContaining(truncated.getFileName().toString());
  }

  @Test
  void aCorruptedChunkFailsTheQueryNamingTheFileAndTheDataset() {
    assertThatThrownBy(() -> spark.read().format("atl03").load(corruptedChunk.toString()).where("beam = 'gt1l'")
        .selectExpr("sum(h_ph)").collectAsList())
        .hasStackTraceContaining(corruptedChunk.getFileName().toString())
        .hasStackTraceContaining(CORRUPTED_DATASET);
  }

  @Test
  void theIgnoreCorruptFilesOptionSkipsEachBadFileAndKeepsEveryRowOfTheGoodGranule() {
    for (Path bad : List.of(notHdf5, truncated, corruptedChunk)) {
      Map<String, Long> rows = rowsPerGranule(spark.read().format("atl03").option("ignoreCorruptFiles", "true")
          .load(good.toString(), bad.toString()));
      assertThat(rows).as("rows per granule reading %s with a good granule", bad.getFileName())
          .containsEntry(good.getFileName().toString(), goodPhotons);
      // rows of a granule that fails while being read stop at the failure, as Spark's file sources do
      assertThat(rows.getOrDefault(bad.getFileName().toString(), 0L)).isLessThan(goodPhotons);
    }
  }

  @Test
  void skipModeReturnsExactlyTheGoodGranulesRowsAndReportsEachCorruptOneWithItsReason() {
    // a truncated granule is refused while planning (its chunks lie past the end of the file), so no row of it
    // is returned; the random-bytes file is not HDF5 at all
    Dataset<Row> photons = spark.read().format("atl03").option("onCorruptGranule", "skip")
        .load(good.toString(), notHdf5.toString(), truncated.toString());
    Dataset<Row> perGranule = photons.where("h_ph > -1e9").groupBy("granule").count();
    Map<String, Long> rows = perGranule.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(rows).containsExactly(Map.entry(good.getFileName().toString(), goodPhotons));
    assertThat(org.atl03.datasource.spark.atl03.Atl03ScanMetrics.of(perGranule))
        .containsEntry("corruptGranulesSkipped", 2L).containsEntry("corruptPartitionsSkipped", 0L);
    List<String> skipped = org.atl03.datasource.spark.atl03.Atl03ScanMetrics.skipped(perGranule);
    assertThat(skipped).hasSize(2);
    assertThat(skipped.stream().filter(s -> s.contains(notHdf5.getFileName().toString()))).singleElement()
        .asString().contains("not a readable HDF5 file");
    assertThat(skipped.stream().filter(s -> s.contains(truncated.getFileName().toString()))).singleElement()
        .asString().contains("truncated or corrupt");
  }

  @Test
  void skipModeCountsAPartitionCutShortByACorruptChunkAndNamesIt() {
    Dataset<Row> sums = spark.read().format("atl03").option("onCorruptGranule", "skip")
        .load(corruptedChunk.toString()).where("beam = 'gt1l' and h_ph > -1e9").selectExpr("count(*)");
    long rows = sums.collectAsList().get(0).getLong(0);
    assertThat(rows).isLessThan(PHOTONS_PER_STRONG_BEAM);
    assertThat(org.atl03.datasource.spark.atl03.Atl03ScanMetrics.of(sums)).containsEntry("corruptPartitionsSkipped", 1L);
    assertThat(org.atl03.datasource.spark.atl03.Atl03ScanMetrics.skipped(sums)).singleElement().asString()
        .contains(corruptedChunk.getFileName().toString()).contains(CORRUPTED_DATASET);
  }

  @Test
  void failModeIsTheDefaultAndContradictoryOptionsAreRefused() {
    assertThatThrownBy(() -> spark.read().format("atl03").option("onCorruptGranule", "fail")
        .load(good.toString(), truncated.toString()).count())
        .hasStackTraceContaining(truncated.getFileName().toString())
        .hasStackTraceContaining("truncated or corrupt");
    assertThatThrownBy(() -> spark.read().format("atl03").option("onCorruptGranule", "skip")
        .option("ignoreCorruptFiles", "false").load(good.toString()).count())
        .hasStackTraceContaining("contradict");
    assertThatThrownBy(() -> spark.read().format("atl03").option("onCorruptGranule", "maybe")
        .load(good.toString()).count())
        .hasStackTraceContaining("must be fail or skip");
  }

  @Test
  void extraDatasetsAreResolvedAgainstAReadableGranuleWhenTheFirstOneIsSkipped() {
    // files are taken in path order: .../bad/ATL03_random_bytes.h5 comes before .../good/ATL03_2019….h5
    assertThat(notHdf5.toString()).isLessThan(good.toString());
    Dataset<Row> photons = spark.read().format("atl03").option("ignoreCorruptFiles", "true")
        .option("datasets", "weight_ph,segment_dist_x").load(notHdf5.toString(), good.toString());
    assertThat(photons.where("weight_ph >= 0 and segment_dist_x >= 0").count()).isEqualTo(goodPhotons);
  }

  @Test
  void sparksIgnoreCorruptFilesSettingSkipsBadFilesToo() {
    spark.conf().set("spark.sql.files.ignoreCorruptFiles", "true");
    try {
      Map<String, Long> rows = rowsPerGranule(spark.read().format("atl03")
          .load(good.toString(), notHdf5.toString(), truncated.toString(), corruptedChunk.toString()));
      assertThat(rows).containsEntry(good.getFileName().toString(), goodPhotons)
          .doesNotContainKeys(notHdf5.getFileName().toString(), truncated.getFileName().toString());
    } finally {
      spark.conf().unset("spark.sql.files.ignoreCorruptFiles");
    }
    // and the option overrides the setting
    spark.conf().set("spark.sql.files.ignoreCorruptFiles", "true");
    try {
      assertThatThrownBy(() -> spark.read().format("atl03").option("ignoreCorruptFiles", "false")
          .load(good.toString(), notHdf5.toString()).count())
          .hasStackTraceContaining(notHdf5.getFileName().toString());
    } finally {
      spark.conf().unset("spark.sql.files.ignoreCorruptFiles");
    }
  }

  @Test
  void aBeamWithoutPhotonsGivesNoRowsAndTheOtherBeamsAllTheirs() {
    Dataset<Row> photons = spark.read().format("atl03").option("datasets", "segment_dist_x").load(emptyBeam.toString());
    Map<String, Long> perBeam = photons.groupBy("beam").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(perBeam).doesNotContainKey("gt1r").hasSize(5);
    assertThat(perBeam.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(goodPhotons - perBeam(good, "gt1r"));
    // the empty beam is also planned away under filters and with segment columns
    assertThat(photons.where("beam = 'gt1r' and lat_ph > -90").select("segment_id", "segment_dist_x").count()).isZero();
  }

  @Test
  void anHdf5FileThatIsNotAtl03IsNamedWithWhatItLacks() {
    assertThatThrownBy(() -> spark.read().format("atl03").load(notAtl03.toString()).count())
        .hasStackTraceContaining(notAtl03.getFileName().toString())
        .hasStackTraceContaining("not an ATL03 granule")
        .hasStackTraceContaining("heights/delta_time");
  }

  @Test
  void aGranuleLackingADatasetNamesItOnlyWhenTheColumnIsRead() {
    assertThatThrownBy(() -> spark.read().format("atl03").load(withoutHeights.toString()).selectExpr("sum(h_ph)")
        .collectAsList())
        .hasStackTraceContaining(withoutHeights.getFileName().toString())
        .hasStackTraceContaining("/gt2l/heights/h_ph");
    assertThat(spark.read().format("atl03").load(withoutHeights.toString()).select("lat_ph").count())
        .isEqualTo(goodPhotons);
  }

  private long perBeam(Path granule, String beam) {
    return spark.read().format("atl03").load(granule.toString()).where("beam = '" + beam + "'").count();
  }

  private static Map<String, Long> rowsPerGranule(Dataset<Row> photons) {
    // reads h_ph (a count alone would read no dataset), so that the corrupted h_ph chunk is decoded
    return photons.where("h_ph > -1e9").groupBy("granule").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1), (a, b) -> a, java.util.TreeMap::new));
  }

}
