package org.atl03.datasource.io.earthdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSSessionCredentials;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.atl03.datasource.io.HadoopSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider against a fake s3credentials endpoint on loopback that hands out numbered credentials: fetch with
 * the bearer token, reuse until shortly before expiry, refresh then, and no secret in logs, messages or toString.
 */
class EarthdataCredentialsProviderTest {

  private static final String TOKEN = "edl-token-2b8f4e61d9";
  private static final DateTimeFormatter NSIDC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

  private HttpServer server;
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-06-01T12:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/s3credentials", exchange -> {
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body;
      if (status.get() == 200) {
        int n = issued.incrementAndGet();
        // like NSIDC: valid for one hour from now
        String expiration = NSIDC.format(now.get().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
        body = ("{\"accessKeyId\": \"ASIAFAKE" + n + "\", \"secretAccessKey\": \"secret-" + n + "-x9\", "
            + "\"sessionToken\": \"session-" + n + "-y7\", \"expiration\": \"" + expiration + "\"}")
            .getBytes(StandardCharsets.UTF_8);
      } else {
        body = ("{\"error\": \"bad token " + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8); // an echo
      }
      exchange.sendResponseHeaders(status.get(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Configuration conf() {
    Configuration conf = new Configuration(false);
    conf.set(HadoopSettings.EARTHDATA_S3_CREDENTIALS_URL,
        "http://127.0.0.1:" + server.getAddress().getPort() + "/s3credentials");
    conf.set(HadoopSettings.EARTHDATA_TOKEN, TOKEN);
    return conf;
  }

  @Test
  void fetchesWithTheBearerTokenAndReusesUntilShortlyBeforeExpiry() throws Exception {
    EarthdataCredentialsProvider provider = new EarthdataCredentialsProvider(conf(), clock);
    AWSSessionCredentials first = (AWSSessionCredentials) provider.getCredentials();
    assertThat(first.getAWSAccessKeyId()).isEqualTo("ASIAFAKE1");
    assertThat(first.getAWSSecretKey()).isEqualTo("secret-1-x9");
    assertThat(first.getSessionToken()).isEqualTo("session-1-y7");
    assertThat(authorizations).containsExactly("Bearer " + TOKEN);
    assertThat(provider.expiration()).isEqualTo(Instant.parse("2026-06-01T13:00:00Z"));

    now.set(Instant.parse("2026-06-01T12:54:00Z")); // 6 min before expiry: still good
    assertThat(provider.getCredentials().getAWSAccessKeyId()).isEqualTo("ASIAFAKE1");
    assertThat(provider.fetches()).isEqualTo(1);

    now.set(Instant.parse("2026-06-01T12:55:30Z")); // inside the 5-minute refresh window: fetch again
    assertThat(provider.getCredentials().getAWSAccessKeyId()).isEqualTo("ASIAFAKE2");
    assertThat(provider.fetches()).isEqualTo(2);
    assertThat(provider.expiration()).isEqualTo(Instant.parse("2026-06-01T13:55:30Z"));

    provider.refresh(); // s3a asks for a refresh after an authentication failure
    assertThat(provider.getCredentials().getAWSAccessKeyId()).isEqualTo("ASIAFAKE3");
  }

  @Test
  void noSecretAppearsInLogsMessagesOrToString() throws Exception {
    StringWriter log = new StringWriter();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    WriterAppender appender = WriterAppender.newBuilder().setName("capture-earthdata").setTarget(log)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n").build()).build();
    appender.start();
    context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    Configurator.setLevel(EarthdataCredentialsProvider.class.getName(), Level.DEBUG);
    context.updateLoggers();
    StringBuilder texts = new StringBuilder();
    try {
      EarthdataCredentialsProvider provider = new EarthdataCredentialsProvider(conf(), clock);
      AWSCredentials credentials = provider.getCredentials();
      texts.append(provider).append('\n').append(credentials).append('\n');

      status.set(401);
      provider.refresh();
      Throwable refused = org.assertj.core.api.Assertions.catchThrowable(provider::getCredentials);
      assertThat(refused).hasMessageContaining("/s3credentials").hasMessageContaining("401");
      StringWriter trace = new StringWriter();
      refused.printStackTrace(new PrintWriter(trace));
      texts.append(trace).append('\n');
    } finally {
      context.getConfiguration().getRootLogger().removeAppender("capture-earthdata");
      context.updateLoggers();
      appender.stop();
    }
    assertThat(log.toString()).contains("Fetched temporary S3 credentials"); // the capture works
    texts.append(log);
    for (String secret : List.of(TOKEN, "secret-1-x9", "session-1-y7")) {
      assertThat(texts.toString()).doesNotContain(secret);
    }
  }

  @Test
  void withoutATokenTheErrorSaysHowToConfigureOne() {
    Configuration conf = conf();
    conf.unset(HadoopSettings.EARTHDATA_TOKEN);
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(EarthdataToken.TOKEN_ENV) == null);
    assertThatThrownBy(() -> new EarthdataCredentialsProvider(URI.create("s3a://bucket"), conf))
        .hasMessageContaining(HadoopSettings.EARTHDATA_TOKEN).hasMessageContaining(EarthdataToken.TOKEN_ENV);
  }

  @Test
  void nsidcExpirationsParse() throws Exception {
    assertThat(EarthdataCredentialsProvider.parseExpiration("2021-11-16 20:20:52+00:00"))
        .isEqualTo(Instant.parse("2021-11-16T20:20:52Z"));
    assertThatThrownBy(() -> EarthdataCredentialsProvider.parseExpiration("tomorrow"))
        .hasMessageContaining("tomorrow");
  }
}
