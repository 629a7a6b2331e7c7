package org.atl03.jobs.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.verify.PhotonChecksums;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.python.TestScripts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** h5repack and v007 outputs: identical values under h5py and h5dump, the new layout, our rows, atomicity. */
class H5repackConversionTest {


  @TempDir static Path tmp;
  static Path granule;
  static Path out;
  static SparkSession spark;

  @BeforeAll
  static void convert() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(H5repackConversion.H5REPACK)), "h5repack absent (hdf5-tools): skipped");
    granule = Generator.generate(new GeneratorOptions(tmp.resolve("in"), 1, 20_000, 5, Layout.V006)).get(0);
    out = tmp.resolve("out");
    assertThat(Atl03.run("convert", "--to", "h5repack,v007", "--in", granule.toString(), "--out", out.toString()))
        .isZero();
    spark = SparkSession.builder().master("local[2]").appName("h5repack tests").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Path output(String target) {
    return out.resolve(target).resolve(granule.getFileName());
  }

  @Test
  void h5pyReadsEveryDatasetWithIdenticalValues() throws Exception {
    for (String target : List.of("h5repack", "v007")) {
      JsonNode compared = TestScripts.json("compare_datasets.py", granule.toString(), output(target).toString());
      assertThat(compared.get("differences")).as(target).isEmpty();
      assertThat(compared.get("numeric").asInt()).as(target).isGreaterThan(400);
      long photonRate = 0;
      Iterator<Map.Entry<String, JsonNode>> it = compared.get("datasets").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode original = e.getValue().get("original");
        JsonNode copy = e.getValue().get("copy");
        assertThat(copy.get("compression")).as(e.getKey()).isEqualTo(original.get("compression"));
        assertThat(copy.get("filters")).as(e.getKey()).isEqualTo(original.get("filters"));
        String beam = e.getKey().split("/")[0];
        boolean isPhotonRate = e.getKey().matches("gt[123][lr]/heights/[^/]+")
            && original.get("shape").get(0).asLong()
                == compared.at("/datasets/" + beam + "~1heights~1delta_time/original/shape/0").asLong();
        if (target.equals("v007") && isPhotonRate && original.get("chunks").isArray()) {
          photonRate++;
          assertThat(copy.at("/chunks/0").asLong()).as(e.getKey()).isEqualTo(100_000);
          for (int d = 1; d < original.get("shape").size(); d++) {
            assertThat(copy.at("/chunks/" + d)).as(e.getKey()).isEqualTo(original.at("/shape/" + d));
          }
        } else {
          assertThat(copy.get("chunks")).as(target + " " + e.getKey()).isEqualTo(original.get("chunks"));
        }
      }
      if (target.equals("v007")) {
        assertThat(photonRate).isEqualTo(6 * 13);
      }
    }
  }

  @Test
  void h5dumpShowsIdenticalContentsAndThePagedLayout() throws Exception {
    List<String> original = h5dump(granule);
    String originalLayout = String.join("\n", h5dump(granule, "-H", "-p", "-B"));
    assertThat(originalLayout).doesNotContain("H5F_FSPACE_STRATEGY_PAGE").contains("CHUNKED ( 10000, 5 )");
    for (String target : List.of("h5repack", "v007")) {
      List<String> copy = h5dump(output(target));
      // the first line names the file and object references print the object's address: everything else
      // (objects, attributes, every value, what each reference points at) must be equal
      assertThat(copy.subList(1, copy.size())).as(target).isEqualTo(original.subList(1, original.size()));
      String layout = String.join("\n", h5dump(output(target), "-H", "-p", "-B"));
      assertThat(layout).as(target).contains("FILE_SPACE_STRATEGY H5F_FSPACE_STRATEGY_PAGE")
          .contains("FILE_SPACE_PAGE_SIZE 8388608");
      String confidence = String.join("\n", h5dump(output(target), "-H", "-p", "-d", "gt1l/heights/signal_conf_ph"));
      String height = String.join("\n", h5dump(output(target), "-H", "-p", "-d", "gt1l/heights/h_ph"));
      String segmentRate = String.join("\n", h5dump(output(target), "-H", "-p", "-d", "gt1l/geolocation/surf_type"));
      assertThat(segmentRate).as(target).contains("CHUNKED ( 10000, 5 )"); // not photon-rate: unchanged
      if (target.equals("v007")) {
        assertThat(confidence).contains("CHUNKED ( 100000, 5 )");
        assertThat(height).contains("CHUNKED ( 100000 )");
      } else {
        assertThat(layout).doesNotContain("CHUNKED ( 100000");
        assertThat(confidence).contains("CHUNKED ( 10000, 5 )");
      }
    }
  }

  @Test
  void ourSourceReadsIdenticalRows() {
    Dataset<Row> original = spark.read().format("atl03").load(granule.toString());
    List<String> columns = new ArrayList<>(List.of(original.columns()));
    PhotonChecksums.Result expected = PhotonChecksums.of(original, columns);
    assertThat(expected.photons()).isEqualTo(3 * 20_000 + 3 * 5_000);
    for (String target : List.of("h5repack", "v007")) {
      Dataset<Row> read = ConvertCommand.registered().get(target).read(spark, out.toString());
      assertThat(read.schema()).isEqualTo(original.schema());
      assertThat(PhotonChecksums.of(read, columns)).as(target).isEqualTo(expected);
    }
  }

  @Test
  void badInputFailsNamingTheFileAndLeavesNoOutput() throws Exception {
    Path bad = tmp.resolve("bad").resolve("ATL03_bad.h5");
    Files.createDirectories(bad.getParent());
    byte[] noise = new byte[100_000];
    new Random(3).nextBytes(noise);
    Files.write(bad, noise);
    Path badOut = tmp.resolve("bad-out");
    Throwable thrown = catchThrowable(() -> H5repackConversion.paged().convert(List.of(bad.toString()),
        badOut.toString(), new ConvertSettings(new Configuration(), 0, false), null));
    assertThat(thrown).hasMessageContaining("h5repack failed on " + bad);
    assertThat(listing(badOut.resolve("h5repack"))).isEmpty();
    assertThat(Atl03.run("convert", "--to", "h5repack", "--in", bad.toString(), "--out", badOut.toString()))
        .isEqualTo(1);
    assertThat(listing(badOut.resolve("h5repack"))).isEmpty();
  }

  @Test
  void interruptedRunLeavesNoFileUnderTheFinalName() throws Exception {
    Path interruptedOut = tmp.resolve("interrupted");
    Path dir = interruptedOut.resolve("v007");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread run = new Thread(() -> {
      try {
        H5repackConversion.v007().convert(List.of(granule.toString()), interruptedOut.toString(),
            new ConvertSettings(new Configuration(), 0, false), null);
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    run.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (listing(dir).stream().noneMatch(n -> n.endsWith(".partial")) && run.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assumeTrue(run.isAlive(), "h5repack finished before it could be interrupted: not a test of interruption");
    run.interrupt();
    run.join(30_000);
    assertThat(failure.get()).isInstanceOf(InterruptedException.class);
    assertThat(listing(dir)).isEmpty();

    // a killed JVM leaves its hidden partial file; readers do not take it for an output
    Path h5repackDir = out.resolve("h5repack");
    Path leftover = h5repackDir.resolve("." + granule.getFileName() + ".0123.partial");
    Files.copy(granule, leftover);
    try {
      long photons = ConvertCommand.registered().get("h5repack").read(spark, out.toString()).count();
      assertThat(photons).isEqualTo(3 * 20_000 + 3 * 5_000);
    } finally {
      Files.delete(leftover);
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static List<String> h5dump(Path file, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/h5dump"));
    command.addAll(List.of(options));
    command.add(file.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(command + ": " + text.lines().limit(5).toList()).isZero();
    return text.lines().map(line -> line.replaceAll("(DATASET|GROUP) [0-9]+ \"", "$1 \"")).toList();
  }
}
