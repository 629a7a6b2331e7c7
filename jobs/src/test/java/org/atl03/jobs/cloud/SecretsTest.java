package org.atl03.jobs.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.earthdata.EarthdataCredentialsProvider;
import org.atl03.datasource.spark.atl03.Atl03ScanMetrics;
import org.atl03.jobs.bench.Provenance;
import org.atl03.jobs.verify.PhotonChecksums;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.services.S3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials never appear in logs, exception messages, results files, query plans or the Spark UI: a real scan
 * over s3a with the S3 keys and an Earthdata token in the session's settings and a secret passed as a read option,
 * then a scan whose credentials come from {@link EarthdataCredentialsProvider} (a fake s3credentials endpoint on
 * loopback hands out the S3 server's keys and a session token, which s3proxy refuses: the error is checked), and
 * every text they can reach is searched for the secrets.
 */
class SecretsTest {

  private static final String EDL_TOKEN = "edl-token-3f9a61c0";
  private static final String SESSION_TOKEN = "session-token-b72e55d1";
  private static final String OPTION_SECRET = "option-secret-8c04d2ee";

  @TempDir
  Path tmp;

  private static List<String> secrets() {
    return List.of(S3Server.SECRET_KEY, EDL_TOKEN, SESSION_TOKEN, OPTION_SECRET);
  }

  @Test
  void noSecretInLogsErrorsResultsPlansOrTheSparkUi() throws Exception {
    StringWriter logs = new StringWriter();
    LoggerContext logContext = (LoggerContext) LogManager.getContext(false);
    WriterAppender appender = WriterAppender.newBuilder().setName("secrets-test").setTarget(logs)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %throwable%n").build()).build();
    appender.start();
    logContext.getConfiguration().addAppender(appender);
    logContext.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    Configurator.setRootLevel(Level.INFO);
    Configurator.setLevel("org.atl03", Level.DEBUG);
    logContext.updateLoggers();

    Path granule = Generator.generate(new GeneratorOptions(tmp.resolve("gen"), 1, 3_000, 5, Layout.V006)).get(0);
    HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    SparkSession spark = null;
    Map<String, String> texts = new LinkedHashMap<>();
    try (S3Server s3 = S3Server.start(tmp.resolve("s3"))) {
      String url = s3.upload(granule, "granules/" + granule.getFileName());
      endpoint.createContext("/s3credentials", exchange -> {
        boolean authorized = ("Bearer " + EDL_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
        byte[] body = ("{\"accessKeyId\": \"" + S3Server.ACCESS_KEY + "\", \"secretAccessKey\": \""
            + S3Server.SECRET_KEY + "\", \"sessionToken\": \"" + SESSION_TOKEN
            + "\", \"expiration\": \"2099-01-01 00:00:00+00:00\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(authorized ? 200 : 401, authorized ? body.length : -1);
        if (authorized) {
          exchange.getResponseBody().write(body);
        }
        exchange.close();
      });
      endpoint.start();

      SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("atl03 secrets test")
          .config("spark.ui.enabled", "true")
          .config("spark.ui.port", "0")
          .config("spark.sql.adaptive.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.hadoop." + HadoopSettings.EARTHDATA_TOKEN, EDL_TOKEN)
          .config("spark.hadoop." + HadoopSettings.EARTHDATA_S3_CREDENTIALS_URL,
              "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/s3credentials");
      for (var e : s3.s3aSettings(s3.endpoint()).entrySet()) {
        builder.config("spark.hadoop." + e.getKey(), e.getValue());
      }
      // getOrCreate would return a session an earlier test class left in this JVM, without this test's settings
      // (the UI, the credentials): this test needs its own
      for (scala.Option<SparkSession> leftover : List.of(SparkSession.getActiveSession(),
          SparkSession.getDefaultSession())) {
        if (leftover.isDefined()) {
          leftover.get().stop();
        }
      }
      spark = builder.getOrCreate();

      // a real scan: the keys from the session's settings, secrets among the read's Hadoop settings (of another
      // bucket, so that this read still signs with the session's keys)
      Dataset<Row> photons = spark.read().format("atl03")
          .option("fs.s3a.bucket.elsewhere.secret.key", OPTION_SECRET)
          .option("fs.s3a.bucket.elsewhere.session.token", OPTION_SECRET).load(url);
      PhotonChecksums.Result read = PhotonChecksums.of(photons, List.of("h_ph", "lat_ph", "lon_ph"));
      assertThat(read.photons()).isPositive();
      Dataset<Row> counted = photons.groupBy("beam").count();
      counted.collectAsList();
      texts.put("query execution", counted.queryExecution().toString());
      texts.put("explain", counted.queryExecution().explainString(
          org.apache.spark.sql.execution.ExtendedMode$.MODULE$));
      texts.put("scan description", Atl03ScanMetrics.scan(counted).scan().description());
      texts.put("scan metrics", Atl03ScanMetrics.of(counted).toString());

      // credentials from the Earthdata provider: s3proxy refuses session tokens (501), an error to search
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      conf.set("fs.s3a.bucket." + s3.bucket() + ".aws.credentials.provider",
          EarthdataCredentialsProvider.class.getName());
      conf.setBoolean("fs.s3a.impl.disable.cache", true); // a client of its own, with the provider
      SparkSession session = spark;
      Throwable refused = catchThrowable(() -> session.read().format("atl03").load(url).count());
      assertThat(refused).as("the scan with session credentials").isNotNull();
      texts.put("error with provider credentials", stackText(refused));
      assertThat(texts.get("error with provider credentials")).contains("501"); // signed with what it issued

      // what a job writes into results/: its provenance, with the arguments it was given
      Path results = tmp.resolve("results.json");
      new ObjectMapper().writeValue(results.toFile(), Provenance.collect(tmp, spark.version(), "local[2]",
          List.of("--conf", "spark.hadoop.fs.s3a.secret.key=" + S3Server.SECRET_KEY,
              "--conf", "spark.hadoop." + HadoopSettings.EARTHDATA_TOKEN + "=" + EDL_TOKEN, "--token", OPTION_SECRET)));
      texts.put("results file", Files.readString(results));

      String ui = spark.sparkContext().uiWebUrl().get();
      String app = spark.sparkContext().applicationId();
      HttpClient http = HttpClient.newHttpClient();
      List<String> pages = new ArrayList<>(List.of("/api/v1/applications/" + app + "/environment",
          "/api/v1/applications/" + app + "/sql?details=true&planDescription=true",
          "/api/v1/applications/" + app + "/stages?details=true", "/SQL/", "/environment/", "/jobs/",
          "/stages/"));
      for (int id = 0; id < 6; id++) {
        pages.add("/SQL/execution/?id=" + id);
      }
      for (String page : pages) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ui + page)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(page).isEqualTo(200);
        texts.put("Spark UI " + page, r.body());
      }
      assertThat(texts.get("Spark UI /api/v1/applications/" + app + "/environment"))
          .contains(HadoopSettings.EARTHDATA_TOKEN).contains("secret.key"); // the keys are listed, their values redacted
      assertThat(texts.get("Spark UI /api/v1/applications/" + app + "/sql?details=true&planDescription=true"))
          .contains("atl03");
    } finally {
      endpoint.stop(0);
      if (spark != null) {
        spark.stop();
      }
      logContext.getConfiguration().getRootLogger().removeAppender("secrets-test");
      logContext.updateLoggers();
      appender.stop();
    }
    texts.put("logs", logs.toString());
    assertThat(texts.get("logs")).contains("Fetched temporary S3 credentials"); // the capture works

    for (var text : texts.entrySet()) {
      for (String secret : secrets()) {
        assertThat(text.getValue()).as(text.getKey() + " must not contain " + secret).doesNotContain(secret);
      }
    }
  }

  private static String stackText(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
