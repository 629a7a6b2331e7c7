package org.atl03.jobs.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.earthdata.EarthdataCredentialsProvider;
import org.atl03.datasource.kerchunk.RefsWriter;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.convert.RefsConversion;
import org.atl03.jobs.verify.PhotonChecksums;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.services.HttpFileServer;
import org.atl03.testing.services.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scan over the same files from local disk ({@code file:}), a real S3 API server ({@code s3a:}, s3proxy)
 * and a web server ({@code https:}, nginx): identical rows, identical reads at the byte seam, and the web server's
 * own log agreeing with the scan's request and byte metrics. Kerchunk references served over https read no HDF5
 * metadata.
 */
class CloudStorageTest {

  private static final long PHOTONS_PER_STRONG_BEAM = 10_000;
  /** kerchunk's default: the granule's scalars (rgt, cycle, epoch …) travel inside the references. */
  private static final int REFS_INLINE_THRESHOLD = 100;
  private static final String EARTHDATA_TOKEN = "edl-token-for-a-fake-endpoint";

  @TempDir
  static Path tmp;
  static Path data;
  static String synthetic; // file name
  static String real; // file name, or null without the fixture
  static S3Server s3;
  static HttpFileServer web;
  static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createDirectories(tmp.resolve("data"));
    Path granule = Generator.generate(new GeneratorOptions(tmp.resolve("gen"), 1, PHOTONS_PER_STRONG_BEAM, 41,
        Layout.V006)).get(0);
    synthetic = granule.getFileName().toString();
    Files.copy(granule, data.resolve(synthetic));
    Path fixture = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"), "atl03/ATL03_gt1l.h5");
    if (Files.isRegularFile(fixture)) {
      real = fixture.getFileName().toString();
      Files.copy(fixture, data.resolve(real));
    }
    RefsConversion.write(data.resolve(synthetic).toUri().toString(), data.resolve(refsName()).toUri().toString(),
        new Configuration(), RefsWriter.Options.DEFAULT.withRelativeUrls(true).withInlineThreshold(REFS_INLINE_THRESHOLD));

    s3 = S3Server.start(tmp.resolve("s3"));
    try (var files = Files.list(data)) {
      for (Path f : files.toList()) {
        s3.upload(f, "granules/" + f.getFileName());
      }
    }
    web = HttpFileServer.start(data, tmp.resolve("nginx"));

    spark = SparkSession.builder()
        .master("local[2]")
        .appName("atl03 cloud storage tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    s3.configure(conf);
    conf.set(HadoopSettings.HTTP_TRUST_STORE, web.trustStore().toString());
    conf.set(HadoopSettings.HTTP_TRUST_STORE_PASSWORD, HttpFileServer.TRUST_STORE_PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (web != null) {
      web.close();
    }
  }

  private static String refsName() {
    return synthetic.replaceFirst("\\.h5$", ".json");
  }

  private static List<String> locations(String name) {
    return List.of(data.resolve(name).toUri().toString(), s3.url("granules/" + name), web.httpsUrl(name));
  }

  private static PhotonChecksums.Result syntheticLocal;

  /** The synthetic granule's checksums read from local disk, computed once. */
  private static synchronized PhotonChecksums.Result syntheticLocal() {
    if (syntheticLocal == null) {
      syntheticLocal = checksums(data.resolve(synthetic).toUri().toString());
    }
    return syntheticLocal;
  }

  private static PhotonChecksums.Result checksums(String location) {
    Dataset<Row> photons = spark.read().format("atl03").load(location);
    List<String> columns = new ArrayList<>(Arrays.asList(photons.columns()));
    columns.removeAll(List.of("granule", "beam", "photon_index"));
    return PhotonChecksums.of(photons, columns);
  }

  @Test
  void aSyntheticGranuleGivesTheSameRowsFromFileS3aAndHttps() {
    List<String> at = locations(synthetic);
    PhotonChecksums.Result local = syntheticLocal();
    assertThat(local.photons()).isGreaterThan(3 * PHOTONS_PER_STRONG_BEAM); // 3 strong beams, 3 weak
    assertThat(checksums(at.get(1))).isEqualTo(local);
    assertThat(checksums(at.get(2))).isEqualTo(local);
  }

  @Test
  void theRealNasaGranuleGivesTheSameRowsFromFileS3aAndHttps() {
    assumeTrue(real != null, "real-data fixture absent, test skipped");
    List<String> at = locations(real);
    PhotonChecksums.Result local = checksums(at.get(0));
    assertThat(local.photons()).isPositive();
    assertThat(checksums(at.get(1))).isEqualTo(local);
    assertThat(checksums(at.get(2))).isEqualTo(local);
  }

  @Test
  void referencesGiveTheSameRowsFromAllThreeStores() {
    PhotonChecksums.Result local = syntheticLocal();
    for (String refs : locations(refsName()).subList(1, 3)) { // file: references are the source tests' business
        assertThat(checksums(refs)).as(refs).isEqualTo(local);
    }
  }

  private static Map<String, Long> oneColumnScan(String location) {
    Dataset<Row> query = spark.read().format("atl03").load(location).where("beam = 'gt1l'")
        .selectExpr("sum(h_ph)");
    query.collectAsList();
    return Atl03ScanMetrics.of(query);
  }

  @Test
  void theMetricsCountTheSameReadsOnEveryStoreAndTheWebServerSeesExactlyThose() throws Exception {
    // metadata blocks are 64 KiB on local disk and 1 MiB elsewhere: one size for all three, so reads compare
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set("atl03.metadata.block.size", "1m");
    Map<String, Long> local;
    Map<String, Long> onS3;
    Map<String, Long> onWeb;
    try {
      local = oneColumnScan(data.resolve(synthetic).toUri().toString());
      onS3 = oneColumnScan(s3.url("granules/" + synthetic));
      web.clearLog();
      onWeb = oneColumnScan(web.httpsUrl(synthetic));
    } finally {
      conf.unset("atl03.metadata.block.size");
    }
    for (String metric : List.of("readRequests", "bytesRead", "planningReadRequests", "planningBytesRead")) {
      assertThat(local.get(metric)).as(metric).isPositive();
      assertThat(onS3.get(metric)).as(metric + " on s3a").isEqualTo(local.get(metric));
      assertThat(onWeb.get(metric)).as(metric + " on https").isEqualTo(local.get(metric));
    }
    List<HttpFileServer.Request> gets = web.requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().equals("/" + synthetic)).toList();
    assertThat(gets).allSatisfy(r -> assertThat(r.status()).isEqualTo(206));
    // the file's size is asked once, by the planner: tasks open it as the planner saw it
    assertThat(web.requests().stream().filter(r -> r.method().equals("HEAD") && r.path().equals("/" + synthetic)))
        .hasSize(1);
    assertThat((long) gets.size()).isEqualTo(onWeb.get("readRequests") + onWeb.get("planningReadRequests"));
    assertThat(gets.stream().mapToLong(HttpFileServer.Request::bytes).sum())
        .isEqualTo(onWeb.get("bytesRead") + onWeb.get("planningBytesRead"));
  }

  @Test
  void referencesOverHttpsPlanWithoutReadingTheHdf5File() throws Exception {
    long refsBytes = Files.size(data.resolve(refsName()));
    web.clearLog();
    Map<String, Long> metrics = oneColumnScan(web.httpsUrl(refsName()));
    assertThat(metrics.get("planningReadRequests")).isEqualTo(1); // the references, once
    assertThat(metrics.get("planningBytesRead")).isEqualTo(refsBytes);
    List<HttpFileServer.Request> h5Gets = web.requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().equals("/" + synthetic)).toList();
    assertThat(metrics.get("readRequests")).isPositive();
    assertThat((long) h5Gets.size()).isEqualTo(metrics.get("readRequests")); // the tasks' chunk reads, nothing else
    assertThat(h5Gets.stream().mapToLong(HttpFileServer.Request::bytes).sum()).isEqualTo(metrics.get("bytesRead"));
  }

  @Test
  void s3aSignsWithTemporaryCredentialsFromAnEarthdataEndpoint() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.createContext("/s3credentials", exchange -> {
      boolean authorized = ("Bearer " + EARTHDATA_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
      fetches.incrementAndGet();
      // the S3 server's own keys, handed out as NSIDC hands out temporary ones
      byte[] body = ("{\"accessKeyId\": \"" + S3Server.ACCESS_KEY + "\", \"secretAccessKey\": \"" + S3Server.SECRET_KEY
          + "\", \"sessionToken\": \"session-token-1\", \"expiration\": \"2099-01-01 00:00:00+00:00\"}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(authorized ? 200 : 401, authorized ? body.length : -1);
      if (authorized) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    endpoint.start();
    Configuration conf = s3.configure(new Configuration());
    String bucketPrefix = "fs.s3a.bucket." + s3.bucket() + ".";
    conf.set(bucketPrefix + "aws.credentials.provider", EarthdataCredentialsProvider.class.getName());
    conf.unset(bucketPrefix + "access.key");
    conf.unset(bucketPrefix + "secret.key");
    conf.set(HadoopSettings.EARTHDATA_S3_CREDENTIALS_URL,
        "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/s3credentials");
    conf.set(HadoopSettings.EARTHDATA_TOKEN, EARTHDATA_TOKEN);
    conf.setBoolean("fs.s3a.impl.disable.cache", true); // a client of its own, with these credentials
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(s3.url("granules/" + synthetic));
    try (org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(conf)) {
      // s3proxy implements no STS session tokens: a request signed with them gets 501 Not Implemented. That answer
      // proves s3a signed with the credentials the endpoint issued (the server's keys plus a session token).
      Throwable answer = org.assertj.core.api.Assertions.catchThrowable(() -> HadoopInputFile.open(fs, path));
      assertThat(answer).isInstanceOf(java.io.IOException.class).hasMessageContaining("501");
      assertThat(fetches.get()).isEqualTo(1);
      assertThat(stackText(answer)).doesNotContain(EARTHDATA_TOKEN).doesNotContain(S3Server.SECRET_KEY);
    } finally {
      endpoint.stop(0);
    }
  }

  private static String stackText(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
