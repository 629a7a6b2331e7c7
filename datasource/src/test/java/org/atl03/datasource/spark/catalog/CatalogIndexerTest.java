package org.atl03.datasource.spark.catalog;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.spark.SparkTestSupport;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index runs: new granules added, changed ones replaced, unlisted ones removed only with prune, nothing written
 * when nothing changed, one Delta commit per run; granules keyed by their full path; bad granules recorded as
 * skipped with the reason; a catalog this build cannot read refused naming why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogIndexerTest {

  private SparkSession spark;
  private List<Path> granules;

  @BeforeAll
  void generate(@TempDir Path tmp) {
    Configurator.setLevel("io.jhdf", Level.WARN);
    granules = Generator.generate(new GeneratorOptions(tmp.resolve("generated"), 2, 20_000, 41, Layout.V006));
    spark = SparkTestSupport.localSpark();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private CatalogIndexer.Report index(List<Path> inputs, Path catalog, boolean prune) throws Exception {
    return CatalogIndexer.index(spark, inputs.stream().map(Path::toString).toList(), catalog.toString(),
        new CatalogIndexer.Options(List.of(), 10_000, prune), spark.sessionState().newHadoopConf());
  }

  private long commits(Path catalog) throws Exception {
    try (var files = Files.list(catalog.resolve("_delta_log"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
    }
  }

  private long checkpointedVersion(Path catalog) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(catalog.resolve("_delta_log/_last_checkpoint").toFile()).get("version").asLong();
  }

  private Dataset<Row> rows(Path catalog, String kind) {
    return CatalogReader.table(spark, catalog.toString()).filter(col("kind").equalTo(kind));
  }

  @Test
  void rerunsAddReplaceAndPruneInOneCommitEach(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path a = Files.copy(granules.get(0), in.resolve("A_" + granules.get(0).getFileName()));
    Path b = Files.copy(granules.get(1), in.resolve("B_" + granules.get(1).getFileName()));
    Path catalog = tmp.resolve("catalog");

    CatalogIndexer.Report first = index(List.of(in), catalog, false);
    assertThat(first.added()).isEqualTo(2);
    assertThat(first.committed()).isTrue();
    long windows = rows(catalog, CatalogTable.WINDOW).count();
    assertThat(windows).isEqualTo(first.windows()).isGreaterThan(12); // 6 beams, 10 000-photon windows
    assertThat(commits(catalog)).isEqualTo(1);
    // the row-group size every write to the table keeps
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + catalog + "`").first();
    assertThat(detail.<String, String>getJavaMap(detail.fieldIndex("properties")))
        .containsEntry(CatalogIndexer.ROW_GROUP_PROPERTY, String.valueOf(CatalogIndexer.ROW_GROUP_BYTES))
        .containsEntry(CatalogIndexer.STATS_COLUMNS_PROPERTY, CatalogIndexer.STATS_COLUMNS);
    // statistics of the filtered columns only, in a checkpoint of the run's commit
    assertThat(checkpointedVersion(catalog)).isEqualTo(0);
    String stats = spark.read().parquet(catalog.resolve("_delta_log/00000000000000000000.checkpoint.parquet")
        .toString()).where(col("add").isNotNull()).select("add.stats").first().getString(0);
    assertThat(stats).contains("\"lat_min\"", "\"granule\"").doesNotContain("\"path\"", "\"photon_start\"");

    CatalogIndexer.Report again = index(List.of(in), catalog, false);
    assertThat(again.committed()).isFalse();
    assertThat(again.unchanged()).isEqualTo(2);
    assertThat(commits(catalog)).isEqualTo(1);

    Path c = Files.copy(granules.get(1), in.resolve("C_" + granules.get(1).getFileName()));
    Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5_000));
    CatalogIndexer.Report third = index(List.of(in), catalog, false);
    assertThat(List.of(third.added(), third.replaced(), third.unchanged())).containsExactly(1, 1, 1);
    assertThat(commits(catalog)).isEqualTo(2);
    assertThat(checkpointedVersion(catalog)).isEqualTo(1);
    assertThat(rows(catalog, CatalogTable.GRANULE).count()).isEqualTo(3);
    long perGranuleB = rows(catalog, CatalogTable.WINDOW).filter(col("path").endsWith(b.getFileName().toString()))
        .count();
    assertThat(rows(catalog, CatalogTable.WINDOW).count()).isEqualTo(windows + perGranuleB);
    assertThat(rows(catalog, CatalogTable.GRANULE).filter(col("path").endsWith(a.getFileName().toString()))
        .select("modification_time").first().getTimestamp(0).getTime())
        .isEqualTo(Files.getLastModifiedTime(a).toMillis());

    Files.delete(c);
    assertThat(index(List.of(in), catalog, false).removed()).isZero();
    assertThat(rows(catalog, CatalogTable.GRANULE).count()).isEqualTo(3);
    CatalogIndexer.Report pruned = index(List.of(in), catalog, true);
    assertThat(pruned.removed()).isEqualTo(1);
    assertThat(commits(catalog)).isEqualTo(3);
    assertThat(rows(catalog, CatalogTable.GRANULE).count()).isEqualTo(2);
    assertThat(rows(catalog, CatalogTable.WINDOW).count()).isEqualTo(windows);
  }

  @Test
  void aRelativeCatalogDirectoryIsCreated() throws Exception {
    Path relative = Path.of("target", "relative-catalog-" + System.nanoTime());
    try {
      assertThat(relative.isAbsolute()).isFalse();
      assertThat(index(List.of(granules.get(0)), relative, false).committed()).isTrue();
      assertThat(rows(relative.toAbsolutePath(), CatalogTable.GRANULE).count()).isEqualTo(1);
    } finally {
      if (Files.exists(relative)) {
        try (var files = Files.walk(relative)) {
          for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      }
    }
  }

  @Test
  void theSameNameInTwoFoldersIsTwoGranules(@TempDir Path tmp) throws Exception {
    Path one = Files.createDirectories(tmp.resolve("one"));
    Path two = Files.createDirectories(tmp.resolve("two"));
    Files.copy(granules.get(0), one.resolve(granules.get(0).getFileName()));
    Files.copy(granules.get(0), two.resolve(granules.get(0).getFileName()));
    Path catalog = tmp.resolve("catalog");
    assertThat(index(List.of(one, two), catalog, false).added()).isEqualTo(2);
    assertThat(rows(catalog, CatalogTable.GRANULE).select("path").distinct().count()).isEqualTo(2);
  }

  @Test
  void aFileThatIsNotAnAtl03GranuleIsRecordedAsSkippedWithTheReason(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(granules.get(0), in.resolve(granules.get(0).getFileName()));
    Path junk = Files.write(in.resolve("ATL03_junk.h5"), "not HDF5 at all".repeat(100).getBytes());
    Path catalog = tmp.resolve("catalog");
    CatalogIndexer.Report report = index(List.of(in), catalog, false);
    assertThat(report.skipped()).hasSize(1);
    assertThat(report.skipped().get(0)).contains(junk.getFileName().toString()).contains("not a readable HDF5");
    Row skipped = rows(catalog, CatalogTable.SKIPPED).first();
    assertThat(skipped.<String>getAs("reason")).contains("not a readable HDF5");
    // reported again while it stays as it is, so the exit code keeps saying so
    assertThat(index(List.of(in), catalog, false).skipped()).hasSize(1);
  }

  @Test
  void aCatalogOfANewerLayoutOrWithColumnsMissingIsRefusedNamingWhy(@TempDir Path tmp) throws Exception {
    Path catalog = tmp.resolve("catalog");
    index(List.of(granules.get(0)), catalog, false);
    Path newer = tmp.resolve("newer");
    CatalogReader.table(spark, catalog.toString()).withColumn("catalog_version", lit(CatalogTable.VERSION + 1))
        .write().format("delta").save(newer.toString());
    assertThatThrownBy(() -> CatalogReader.entries(spark, newer.toString()))
        .hasMessageContaining("newer atl03-spark");
    assertThatThrownBy(() -> spark.read().format("atl03").option("catalog", newer.toString()).load().count())
        .hasStackTraceContaining("newer atl03-spark");
    Path partial = tmp.resolve("partial");
    CatalogReader.table(spark, catalog.toString()).drop("datasets", "segment_start").write().format("delta")
        .save(partial.toString());
    assertThatThrownBy(() -> CatalogReader.table(spark, partial.toString()))
        .hasMessageContaining("segment_start int").hasMessageContaining("datasets array");
    for (String reader : List.of("driver", "spark")) {
      assertThatThrownBy(() -> spark.read().format("atl03").option("catalog", partial.toString())
          .option("catalogReader", reader).load().count()).as(reader)
          .hasStackTraceContaining("segment_start").hasStackTraceContaining(partial.toString());
      assertThatThrownBy(() -> spark.read().format("atl03").option("catalog", tmp.resolve("nothing").toString())
          .option("catalogReader", reader).load().count()).as(reader)
          .hasStackTraceContaining("./atl03 index");
    }
    assertThatThrownBy(() -> CatalogReader.table(spark, tmp.resolve("nothing").toString()))
        .hasMessageContaining("./atl03 index");
  }
}
