package org.atl03.datasource.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.AddFile;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.spark.SparkTestSupport;
import org.atl03.datasource.spark.catalog.SparkTableRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log replay and the Parquet reading against Delta Lake itself: after seeded random appends, deletes, overwrites
 * and checkpoints, the data files, their statistics and their rows are Delta's; tables using what the reader does
 * not implement are refused as unsupported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeltaSnapshotTest {

  private SparkSession spark;
  private final Storage storage = new HadoopStorage(new Configuration());

  @BeforeAll
  void start() {
    spark = SparkTestSupport.localSpark();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private Dataset<Row> rows(long from, long count) {
    return spark.range(from, from + count).toDF("id")
        .withColumn("name", col("id").cast("string"))
        .withColumn("x", when(col("id").mod(7).equalTo(0), lit(null)).otherwise(col("id").multiply(0.5)))
        .withColumn("parts", org.apache.spark.sql.functions.array(col("id"), col("id").plus(1)))
        .withColumn("ts", col("id").multiply(1000).cast("timestamp"));
  }

  @Test
  void theFilesStatisticsAndRowsAreDeltasAfterRandomCommitsAndCheckpoints(@TempDir Path tmp) throws Exception {
    String table = tmp.resolve("t").toString();
    Random random = new Random(11);
    long next = 0;
    for (int commit = 0; commit < 14; commit++) {
      int action = commit == 0 ? 0 : random.nextInt(4);
      if (action <= 1) {
        long n = 50 + random.nextInt(400);
        rows(next, n).repartition(1 + random.nextInt(3)).write().format("delta").mode("append").save(table);
        next += n;
      } else if (action == 2) {
        long below = random.nextInt((int) Math.max(1, next));
        spark.sql("DELETE FROM delta.`" + table + "` WHERE id % 5 = 1 AND id < " + below);
      } else {
        long from = random.nextInt((int) Math.max(1, next));
        rows(from, 100).write().format("delta").mode("overwrite")
            .option("replaceWhere", "id >= " + from + " AND id < " + (from + 100)).save(table);
      }
      if (random.nextInt(3) == 0) {
        DeltaLog.forTable(spark, table).checkpoint();
      }
      check(table);
    }
  }

  private void check(String table) throws Exception {
    DeltaSnapshot snapshot = DeltaSnapshot.read(storage, table);
    Map<String, AddFile> expected = new HashMap<>();
    for (AddFile f : (AddFile[]) DeltaLog.forTable(spark, table).update(false, scala.Option.empty(),
        scala.Option.empty()).allFiles().collect()) {
      expected.put(storage.resolve(table, f.toPath().toUri().getPath()), f);
    }
    assertThat(snapshot.version()).isEqualTo(DeltaLog.forTable(spark, table).unsafeVolatileSnapshot().version());
    Map<String, DeltaSnapshot.DataFile> actual = new HashMap<>();
    snapshot.files().forEach(f -> actual.put(f.location(), f));
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    List<Row> all = new ArrayList<>();
    for (DeltaSnapshot.DataFile f : snapshot.files()) {
      assertThat(f.size()).isEqualTo(expected.get(f.location()).size());
      try (ParquetDataFile parquet = ParquetDataFile.open(storage.open(f.location()), 4096)) {
        long rows = 0;
        for (int g = 0; g < parquet.rowGroups(); g++) {
          List<TableRow> read = parquet.read(g, List.of("id", "name", "x", "parts", "ts"));
          rows += read.size();
          for (TableRow r : read) {
            long id = r.longValue("id");
            // each value within the file's and the row group's bounds, by the statistics of both
            for (ColumnStatistics stats : List.of(f.stats(), parquet.statistics(g))) {
              assertThat(stats.of("id").min()).matches(m -> ((Number) m).longValue() <= id);
              assertThat(stats.of("id").max()).matches(m -> ((Number) m).longValue() >= id);
            }
            assertThat(r.string("name")).isEqualTo(Long.toString(id));
            assertThat(r.isNull("x")).isEqualTo(id % 7 == 0);
            assertThat(r.values("parts")).containsExactly(id, id + 1);
            assertThat(r.timestampMillis("ts")).isEqualTo(id * 1000 * 1000);
          }
        }
        assertThat(f.stats().of("id").rowCount()).isEqualTo(rows);
        assertThat(f.stats().of("x").nullCount()).isEqualTo(countNullX(parquet));
      }
    }
    List<Long> ids = spark.read().format("delta").load(table).select("id").as(
        org.apache.spark.sql.Encoders.LONG()).collectAsList();
    assertThat(rowIds(snapshot)).containsExactlyInAnyOrderElementsOf(ids);
  }

  private static long countNullX(ParquetDataFile parquet) throws Exception {
    long nulls = 0;
    for (int g = 0; g < parquet.rowGroups(); g++) {
      for (TableRow r : parquet.read(g, List.of("x"))) {
        nulls += r.isNull("x") ? 1 : 0;
      }
    }
    return nulls;
  }

  private List<Long> rowIds(DeltaSnapshot snapshot) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (DeltaSnapshot.DataFile f : snapshot.files()) {
      try (ParquetDataFile parquet = ParquetDataFile.open(storage.open(f.location()), 1 << 20)) {
        for (int g = 0; g < parquet.rowGroups(); g++) {
          parquet.read(g, List.of("id")).forEach(r -> ids.add(r.longValue("id")));
        }
      }
    }
    return ids;
  }

  @Test
  void rowsReadAreSparksRowsFieldByField(@TempDir Path tmp) throws Exception {
    String table = tmp.resolve("t").toString();
    rows(0, 300).coalesce(1).write().format("delta").save(table);
    DeltaSnapshot snapshot = DeltaSnapshot.read(storage, table);
    assertThat(snapshot.files()).hasSize(1);
    Set<String> fields = Set.of("id", "name", "x", "ts");
    Map<Long, Row> expected = new HashMap<>();
    spark.read().format("delta").load(table).collectAsList().forEach(r -> expected.put(r.getLong(0), r));
    try (ParquetDataFile parquet = ParquetDataFile.open(storage.open(snapshot.files().get(0).location()), 1 << 20)) {
      Set<Long> seen = new HashSet<>();
      for (TableRow r : parquet.read(0, fields)) {
        TableRow spark = new SparkTableRow(expected.get(r.longValue("id")));
        for (String field : fields) {
          assertThat(r.value(field)).as(field).isEqualTo(spark.value(field));
        }
        seen.add(r.longValue("id"));
      }
      assertThat(seen).hasSize(300);
    }
  }

  @Test
  void aTableWithDeletionVectorsIsUnsupported(@TempDir Path tmp) {
    String table = tmp.resolve("dv").toString();
    spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT) USING delta "
        + "TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    spark.range(100).write().format("delta").mode("append").save(table);
    spark.sql("DELETE FROM delta.`" + table + "` WHERE id = 3");
    assertThatThrownBy(() -> DeltaSnapshot.read(storage, table)).isInstanceOf(UnsupportedTableException.class)
        .hasMessageContaining(table);
  }

  @Test
  void aDirectoryWithoutALogIsNoTable(@TempDir Path tmp) throws Exception {
    java.nio.file.Files.createDirectories(tmp.resolve("_delta_log"));
    assertThatThrownBy(() -> DeltaSnapshot.read(storage, tmp.toString()))
        .hasMessageContaining(tmp.toString()).hasMessageContaining("no commits");
  }
}
