package org.atl03.jobs.verify;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.convert.ConvertCommand;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify passes on faithful outputs and fails, naming format and column, on tampered ones. */
class VerifyCommandTest {

  @TempDir static Path tmp;
  static Path granule;
  static Path out;

  @BeforeAll
  static void convert() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/h5repack")), "h5repack absent (hdf5-tools): skipped");
    granule = Generator.generate(new GeneratorOptions(tmp.resolve("in"), 1, 20_000, 11, Layout.V006)).get(0);
    out = tmp.resolve("out");
    assertThat(Atl03.run("convert", "--to", "refs,h5repack", "--in", granule.toString(), "--out", out.toString()))
        .isZero();
  }

  private record Run(int exit, String output) {}

  private static Run verify(String... args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      String[] all = new String[args.length + 1];
      all[0] = "verify";
      System.arraycopy(args, 0, all, 1, args.length);
      exit = Atl03.run(all);
    } finally {
      System.setOut(stdout);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    stdout.print(output);
    return new Run(exit, output);
  }

  @Test
  void passesOnRefsAndH5repackOutputs() {
    Run run = verify("--in", granule.toString(), "--converted", out.toString(), "--master", "local[2]");
    assertThat(run.exit()).as(run.output()).isZero();
    // the formats present were found without --formats; every query compared both
    assertThat(run.output()).contains("[refs, h5repack]").contains("every format agrees");
    for (String query : List.of("full", "bbox", "time")) {
      for (String format : List.of("refs", "h5repack")) {
        assertThat(run.output()).containsPattern("(?m)^" + query + " +" + format + " .* ok$");
      }
    }
    assertThat(run.output()).doesNotContain("DIFFERS");
  }

  @Test
  void failsNamingFormatAndColumnWhenARefPointsAtAnotherChunk() throws Exception {
    Path tampered = tmp.resolve("tampered");
    Files.createDirectories(tampered);
    String name = granule.getFileName().toString().replace(".h5", ".json");
    ObjectMapper json = new ObjectMapper();
    ObjectNode refs = (ObjectNode) json.readTree(out.resolve(name).toFile());
    ObjectNode keys = (ObjectNode) refs.get("refs");
    // two chunks of the same strong-beam dataset: both decode fine, with each other's values
    String beam = List.of("gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r").stream()
        .filter(b -> keys.has(b + "/heights/h_ph/1")).findFirst().orElseThrow();
    ArrayNode first = (ArrayNode) keys.get(beam + "/heights/h_ph/0");
    keys.set(beam + "/heights/h_ph/0", keys.get(beam + "/heights/h_ph/1"));
    keys.set(beam + "/heights/h_ph/1", first);
    Files.writeString(tampered.resolve(name), json.writeValueAsString(refs));

    Run run = verify("--in", granule.toString(), "--converted", tampered.toString(), "--formats", "refs",
        "--queries", "full", "--master", "local[2]");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.output()).contains("format refs, query full").contains("checksums differ in h_ph")
        .containsPattern("(?m)^full +refs .* DIFFERS in h_ph$").contains("(" + granule.getFileName() + ", " + beam
            + ", 0): ")
        .contains("verify: FAILED");
  }

  @Test
  void detectsALostAndADuplicatedRow() {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("verify tests")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      Dataset<Row> original = spark.read().format("atl03").load(granule.toString());
      Dataset<Row> h5repack = ConvertCommand.registered().get("h5repack").read(spark, out.toString());
      Dataset<Row> onePhoton = h5repack.filter(col("beam").equalTo("gt2r").and(col("photon_index").equalTo(7)));
      Map<String, Dataset<Row>> formats = new LinkedHashMap<>();
      formats.put("h5repack", h5repack);
      formats.put("lost-row", h5repack.except(onePhoton));
      formats.put("duplicated-row", h5repack.union(onePhoton));
      // same count, one value changed: only the column's checksum can tell
      formats.put("changed-value", h5repack.withColumn("quality_ph",
          org.apache.spark.sql.functions.when(col("beam").equalTo("gt2r").and(col("photon_index").equalTo(7)),
              col("quality_ph").plus(1)).otherwise(col("quality_ph")).cast("byte")));
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      Verifier.Outcome outcome = new Verifier(original, new PrintStream(printed, true, StandardCharsets.UTF_8))
          .verify(formats, List.of(Verifier.full()));
      assertThat(outcome.ok()).isFalse();
      Map<String, Verifier.Comparison> byFormat = new LinkedHashMap<>();
      outcome.comparisons().forEach(c -> byFormat.put(c.format(), c));
      assertThat(byFormat.get("h5repack").ok()).isTrue();
      long photons = byFormat.get("h5repack").photons();
      assertThat(byFormat.get("lost-row").photons()).isEqualTo(photons - 1);
      assertThat(byFormat.get("lost-row").differing()).contains(PhotonChecksums.ROWS, "h_ph", "lat_ph");
      assertThat(byFormat.get("duplicated-row").photons()).isEqualTo(photons + 1);
      assertThat(byFormat.get("duplicated-row").differing()).contains(PhotonChecksums.ROWS, "h_ph");
      assertThat(byFormat.get("changed-value").photons()).isEqualTo(photons);
      assertThat(byFormat.get("changed-value").differing()).containsExactly("quality_ph");
      String text = printed.toString(StandardCharsets.UTF_8);
      assertThat(text).contains("(" + granule.getFileName() + ", gt2r, 7): ").contains("absent")
          .contains("2 rows, ");
    } finally {
      spark.stop();
    }
  }
}
