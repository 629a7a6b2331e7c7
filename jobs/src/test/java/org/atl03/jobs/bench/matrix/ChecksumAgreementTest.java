package org.atl03.jobs.bench.matrix;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.atl03.jobs.SparkOptions;
import org.atl03.testing.python.BundledPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checksums that let the matrix check its cells: the same in Spark, Java and Python, and failing loudly. */
class ChecksumAgreementTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("atl03.root", ".."));

  private static BenchConfig config(String label, String queries, String readers, String formats) throws Exception {
    return BenchConfig.parse(JSON.readTree("""
        {"label": "%s", "granules": {"count": 1, "photons_per_strong_beam": 3000, "seed": 5},
         "master": "local[2]", "repetitions": 1, "drop_caches": false, "queries": %s, "readers": %s,
         "formats": %s, "storage": ["local"], "bbox_fraction": 0.05, "time_fraction": 0.05,
         "scaling": {"query": "Q2", "granule_counts": [1], "masters": ["local[2]"], "readers": ["atl03"],
                     "formats": ["hdf5"]}}
        """.formatted(label, queries, readers, formats)));
  }

  /** A reader as a user would write one, which drops the first photon of gt1l: the run must name it. */
  private static SparkReader dropsAPhoton() {
    return new SparkReader("atl03-drops-a-photon", "atl03, minus gt1l photon 0 (a broken reader)",
        Set.of(BenchFormat.HDF5), (s, uris) -> s.read().format("atl03").load(uris.toArray(String[]::new))
            .filter(col("beam").notEqual("gt1l").or(col("photon_index").notEqual(0))));
  }

  @Test
  void aCellThatDropsAPhotonFailsTheRunByName(@TempDir Path tmp) throws Exception {
    Map<String, BenchReader> readers = new LinkedHashMap<>(BenchReaders.all());
    readers.put("atl03-drops-a-photon", dropsAPhoton());
    BenchConfig config = config("bench-broken", "[\"Q1\", \"Q3\"]", "[\"atl03\", \"jhdf\", \"atl03-drops-a-photon\"]",
        "[\"hdf5\"]");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    BenchMatrix matrix = new BenchMatrix(ROOT, config, readers, tmp.resolve("work"), tmp.resolve("results"), false,
        List.of(), new PrintStream(text, true, StandardCharsets.UTF_8));
    BenchMatrix.Outcome outcome = matrix.run(new SparkOptions(), List.of());

    assertThat(outcome.exitCode()).isEqualTo(1);
    // Q1 lacks the photon for sure (Q3's box may or may not hold it); jhdf agrees everywhere
    assertThat(outcome.agreement().disagreements()).extracting(ChecksumAgreement.Disagreement::cell)
        .contains("Q1 atl03-drops-a-photon × hdf5 (local)").allMatch(c -> c.contains("atl03-drops-a-photon"));
    ChecksumAgreement.Disagreement d = outcome.agreement().disagreements().get(0);
    assertThat(d.reference()).isEqualTo("Q1 atl03 × hdf5 (local)");
    assertThat(d.differences()).anyMatch(s -> s.startsWith("photons ")).contains("(rows)", "h_ph");
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("checksums DISAGREE")
        .contains("Q1 atl03-drops-a-photon × hdf5 (local) disagrees with Q1 atl03 × hdf5 (local)");
    String report = Files.readString(outcome.directory().resolve("report.md"));
    assertThat(report).contains("Checksum agreement FAILED").contains("atl03-drops-a-photon × hdf5");
    JsonNode json = JSON.readTree(outcome.directory().resolve("results.json").toFile());
    assertThat(json.at("/checksum_agreement/all_agree").asBoolean()).isFalse();
  }

  /**
   * Java (jhdf), Spark (atl03) and Python (h5py) compute equal checksums on NASA's real subset; xarray + h5netcdf
   * cannot open its heights group (signal_conf_ph has a dimension scale on its first dimension only), which the
   * cell reports as could not run.
   */
  @Test
  void javaSparkAndPythonAgreeOnTheNasaSubset(@TempDir Path tmp) throws Exception {
    Path fixture = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"), "atl03/ATL03_gt1l.h5");
    assumeTrue(Files.isRegularFile(fixture), "real-data fixture absent, test skipped: " + fixture);
    assumeTrue(BundledPython.missingModules(BundledPython.python(),
        List.of("h5py", "xarray", "h5netcdf")) == null, "python3-h5py/xarray/h5netcdf absent: skipped");
    BenchConfig config = config("bench-nasa", "[\"Q1\", \"Q2\", \"Q3\", \"Q4\", \"Q5\"]",
        "[\"atl03\", \"jhdf\", \"h5py\", \"xarray-h5netcdf\"]", "[\"hdf5\"]");
    BenchMatrix matrix = new BenchMatrix(ROOT, config, BenchReaders.all(), tmp.resolve("work"), tmp.resolve("results"),
        false, List.of(fixture.toAbsolutePath().toString()), new PrintStream(new ByteArrayOutputStream()));
    BenchMatrix.Outcome outcome = matrix.run(new SparkOptions(), List.of());

    List<String> measured = new ArrayList<>();
    outcome.results().forEach(r -> {
      if (r.cell().reader().equals("xarray-h5netcdf")) {
        assertThat(r.status()).as(r.cell().id()).isEqualTo(CellResult.Status.COULD_NOT_RUN);
        assertThat(r.reason()).contains("mixing of labeled and unlabeled dimensions");
        return;
      }
      assertThat(r.status()).as(r.cell().id() + ": " + r.reason()).isEqualTo(CellResult.Status.OK);
      measured.add(r.cell().id());
      assertThat(r.measured().result().photons()).as(r.cell().id()).isPositive();
    });
    assertThat(measured).hasSize(5 * 3);
    assertThat(outcome.agreement().disagreements()).isEmpty();
    assertThat(outcome.exitCode()).isZero();
  }

  /** The Java checksum (jhdf's cells) is Spark's definition, also at -0.0, NaN, subnormals and long names. */
  @Test
  void javaChecksumsEqualSparkOnEdgeValues() {
    SparkSession spark = new SparkOptions().session("checksum test", "local[1]");
    try {
      StructType schema = new StructType()
          .add("granule", DataTypes.StringType).add("beam", DataTypes.StringType)
          .add("photon_index", DataTypes.LongType).add("h_ph", DataTypes.FloatType)
          .add("lat_ph", DataTypes.DoubleType).add("lon_ph", DataTypes.DoubleType)
          .add("delta_time", DataTypes.DoubleType)
          .add("signal_conf_ph", DataTypes.createArrayType(DataTypes.ByteType));
      String granule = "ATL03_20190601000000_07420304_006_01_a_name_longer_than_32_bytes.h5";
      double[] lat = {0.0, -0.0, Double.NaN, Double.MIN_VALUE, -89.999999, 1e300};
      float[] h = {0f, -0f, Float.NaN, Float.MIN_VALUE, -12.5f, 3.4e38f};
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < lat.length; i++) {
        rows.add(RowFactory.create("/some/dir/" + granule, i % 2 == 0 ? "gt1l" : "gt3r", (long) i * 7, h[i], lat[i],
            -lat[i], 1e8 + i, new byte[] {(byte) -2, (byte) i, 4, 0, (byte) 127}));
      }
      Dataset<Row> photons = spark.createDataFrame(rows, schema);
      CellResult.QueryResult sparkResult =
          SparkQueries.read(SparkQueries.result(photons, BenchQuery.Q2).collectAsList().get(0), BenchQuery.Q2);

      ChecksumAccumulator acc = new ChecksumAccumulator(BenchQuery.Q2.columns());
      for (int i = 0; i < lat.length; i++) {
        Map<String, Object> values = Map.of("lat_ph", new double[] {lat[i]}, "lon_ph", new double[] {-lat[i]},
            "h_ph", new float[] {h[i]}, "delta_time", new double[] {1e8 + i},
            "signal_conf_ph", new byte[][] {{(byte) -2, (byte) i, 4, 0, (byte) 127}});
        acc.add(granule, i % 2 == 0 ? "gt1l" : "gt3r", new long[] {(long) i * 7}, values);
      }
      assertThat(acc.result().checksums()).isEqualTo(sparkResult.checksums());
      assertThat(acc.result().photons()).isEqualTo(sparkResult.photons());
    } finally {
      spark.stop();
    }
  }
}
