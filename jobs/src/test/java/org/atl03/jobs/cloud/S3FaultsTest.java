package org.atl03.jobs.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.kerchunk.RefsWriter;
import org.atl03.jobs.convert.RefsConversion;
import org.atl03.jobs.reliability.S3Faults;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.services.FaultProxy;
import org.atl03.testing.services.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans over s3a through injected S3 faults (SlowDown, resets before and inside responses, slow responses) give
 * the rows and checksums read from disk; conversions give byte-identical outputs; retries are counted; and with
 * every request failing the scan fails, naming the file, within the retry bounds of our s3a defaults.
 */
class S3FaultsTest {

  @TempDir
  static Path tmp;
  static S3Server s3;
  static FaultProxy proxy;
  static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Server.start(tmp.resolve("s3"));
    proxy = FaultProxy.start(s3.port(), FaultProxy.Rates.each(0, Duration.ZERO), 20261126);
    spark = SparkSession.builder().master("local[2]").appName("atl03 S3 faults test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void scansAndConversionsThroughFaultsMatchAndEveryRequestFailingFailsFastNamingTheFile() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    List<Path> inputs = new ArrayList<>(Generator.generate(new GeneratorOptions(data, 1, 4_000, 11, Layout.V006)));
    Path refs = data.resolve(inputs.get(0).getFileName().toString().replaceFirst("\\.h5$", ".json"));
    RefsConversion.write(inputs.get(0).toUri().toString(), refs.toUri().toString(), new Configuration(),
        RefsWriter.Options.DEFAULT.withRelativeUrls(true).withInlineThreshold(100));
    inputs.add(refs);
    Path real = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"), "atl03/ATL03_gt1l.h5");
    if (Files.isRegularFile(real)) {
      inputs.add(real);
    }

    FaultProxy.Rates rates = FaultProxy.Rates.each(0.05, Duration.ofMillis(100));
    S3Faults.Result r = new S3Faults(spark, s3, proxy, System.out::println)
        .run(inputs, List.of("refs", "flatgeobuf"), rates, 20261126, tmp.resolve("work"));

    assertThat(r.scans()).hasSize(inputs.size()).allSatisfy(s -> {
      assertThat(s.photons()).as(s.input()).isPositive();
      assertThat(s.identical()).as(s.input()).isTrue();
    });
    long granules = inputs.stream().filter(p -> p.toString().endsWith(".h5")).count();
    assertThat(r.conversions()).hasSize(2 * (int) granules).allSatisfy(c -> {
      assertThat(c.files()).as(c.target()).isPositive();
      assertThat(c.identical()).as(c.target() + " " + c.input()).isTrue();
    });
    for (FaultProxy.Fault f : FaultProxy.Fault.values()) {
      assertThat(r.faults().injected().get(f)).as(f.name()).isPositive();
    }
    // every injected failure was retried somewhere: by the AWS SDK or s3a (store_io_*), or by s3a's stream
    long failures = r.faults().injected().get(FaultProxy.Fault.SLOW_DOWN)
        + r.faults().injected().get(FaultProxy.Fault.RESET_BEFORE_RESPONSE)
        + r.faults().injected().get(FaultProxy.Fault.RESET_MID_BODY);
    long retried = r.s3aCounters().get("store_io_retry") + r.s3aCounters().get("store_io_throttled")
        + r.s3aCounters().get("stream_read_exceptions");
    assertThat(retried).isPositive();
    assertThat(failures).isPositive();

    S3Faults.FailFast f = r.failFast();
    assertThat(f.failed()).isTrue();
    assertThat(f.namesFile()).as(f.error()).isTrue();
    assertThat(Duration.ofMillis(f.millis())).isLessThan(Duration.ofSeconds(90));
    assertThat(f.failedUnderSkip()).isTrue();
    assertThat(Duration.ofMillis(f.skipMillis())).isLessThan(Duration.ofSeconds(90));
  }

  /**
   * Reads through resets inside response bodies: s3a reopens and reads again, the bytes are right, and the file
   * counts the retries it saw; when no response arrives, the read fails naming the file in bounded time, never short data.
   */
  @Test
  void aFileCountsTheReadsS3aRetriedAndFailsNamingItselfWhenRetriesRunOut() throws Exception {
    byte[] bytes = new byte[2_000_000];
    new java.util.Random(3).nextBytes(bytes);
    Path local = Files.write(tmp.resolve("random.bin"), bytes);
    String url = s3.upload(local, "retries/random.bin");
    Configuration conf = s3.configure(new Configuration(), proxy.endpoint());
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    // few retries: this test is about what a read that runs out of them does; the defaults' bound is tested above
    // (s3a nests its read and reopen retries, so a read whose every connection resets takes minutes with them)
    conf.set("fs.s3a.bucket." + s3.bucket() + ".retry.limit", "1");
    conf.set("fs.s3a.bucket." + s3.bucket() + ".attempts.maximum", "1");
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(url);
    try (org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.newInstance(path.toUri(), conf)) {
      proxy.setRates(FaultProxy.Rates.each(0, Duration.ZERO));
      try (org.atl03.datasource.io.HadoopInputFile file = org.atl03.datasource.io.HadoopInputFile.open(fs, path)) {
        proxy.setRates(FaultProxy.Rates.only(FaultProxy.Fault.RESET_MID_BODY, 0.3, Duration.ZERO));
        java.util.Random offsets = new java.util.Random(5);
        for (int i = 0; i < 40; i++) {
          int at = offsets.nextInt(bytes.length - 100_000);
          assertThat(file.readFully(at, 100_000)).isEqualTo(java.util.Arrays.copyOfRange(bytes, at, at + 100_000));
        }
        assertThat(file.storeRetries()).isPositive();

        // a reset mid-body still delivers bytes and s3a reads on from there; a reset before any byte never does
        proxy.setRates(FaultProxy.Rates.only(FaultProxy.Fault.RESET_BEFORE_RESPONSE, 1, Duration.ZERO));
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> file.readFully(1_000_000, 100_000))
            .isInstanceOf(java.io.IOException.class).hasMessageContaining("retries/random.bin");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
      } finally {
        proxy.setRates(FaultProxy.Rates.each(0, Duration.ZERO));
      }
    }
  }
}
