package org.atl03.datasource.io.earthdata;

import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.BasicSessionCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.io.HadoopSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary S3 credentials for NASA Earthdata Cloud buckets (NSIDC's ATL03: {@code s3://nsidc-cumulus-prod-protected}),
 * for s3a: {@code fs.s3a.aws.credentials.provider=org.atl03.datasource.io.earthdata.EarthdataCredentialsProvider}. It
 * fetches {@code {accessKeyId, secretAccessKey, sessionToken, expiration}} from the DAAC's s3credentials endpoint
 * ({@value HadoopSettings#EARTHDATA_S3_CREDENTIALS_URL}, default {@value #NSIDC_ENDPOINT}) with the Earthdata bearer
 * token ({@link EarthdataToken}), and fetches again {@value HadoopSettings#EARTHDATA_REFRESH_AHEAD_SECONDS} (default
 * 300) seconds before they expire (they last one hour).
 * The credentials only work from AWS us-west-2, where the bucket is (EMR there; set fs.s3a.endpoint.region).
 *
 * <p>Secrets never leave this class in text: not in logs, messages or {@link #toString()}; the endpoint's error
 * bodies are not echoed either (they may quote the request).
 */
public final class EarthdataCredentialsProvider implements AWSCredentialsProvider {

  public static final String NSIDC_ENDPOINT = "https://data.nsidc.earthdatacloud.nasa.gov/s3credentials";

  private static final Logger LOG = LoggerFactory.getLogger(EarthdataCredentialsProvider.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final EarthdataToken token;
  private final Duration refreshAhead;
  private final Clock clock;
  private final HttpClient http;
  private BasicSessionCredentials current;
  private Instant expiration = Instant.MIN;
  private long fetches;

  /** The constructor s3a calls. */
  public EarthdataCredentialsProvider(URI bucket, Configuration conf) throws IOException {
    this(conf, Clock.systemUTC());
  }

  EarthdataCredentialsProvider(Configuration conf, Clock clock) throws IOException {
    this.endpoint = URI.create(conf.getTrimmed(HadoopSettings.EARTHDATA_S3_CREDENTIALS_URL, NSIDC_ENDPOINT));
    this.token = EarthdataToken.from(conf).orElseThrow(() -> new IOException("Earthdata S3 credentials need an "
        + "Earthdata Login token: set " + HadoopSettings.EARTHDATA_TOKEN + " (spark.hadoop."
        + HadoopSettings.EARTHDATA_TOKEN + "), "
        + HadoopSettings.EARTHDATA_TOKEN_FILE + " or $" + EarthdataToken.TOKEN_ENV));
    boolean loopback = "localhost".equals(endpoint.getHost())
        || (endpoint.getHost() != null && endpoint.getHost().startsWith("127."));
    if (!"https".equals(endpoint.getScheme()) && !loopback) {
      throw new IOException(HadoopSettings.EARTHDATA_S3_CREDENTIALS_URL
          + " must be an https URL (the token travels with it): " + endpoint);
    }
    this.refreshAhead = Duration.ofSeconds(conf.getLong(HadoopSettings.EARTHDATA_REFRESH_AHEAD_SECONDS, 300));
    this.clock = clock;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER) // a redirect means a login page: the token must not follow
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  @Override
  public synchronized AWSCredentials getCredentials() {
    if (current == null || !clock.instant().isBefore(expiration.minus(refreshAhead))) {
      try {
        fetch();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return current;
  }

  @Override
  public synchronized void refresh() {
    current = null;
  }

  /** How often credentials were fetched (for tests and logs). */
  public synchronized long fetches() {
    return fetches;
  }

  /** When the credentials in use expire (Instant.MIN before the first fetch). */
  public synchronized Instant expiration() {
    return expiration;
  }

  private void fetch() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", token.authorizationHeader())
        .header("Accept", "application/json")
        .GET().build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted fetching S3 credentials from " + endpoint);
    } catch (IOException e) {
      throw new IOException("cannot reach the Earthdata s3credentials endpoint " + endpoint + ": " + e.getMessage());
    }
    int status = response.statusCode();
    if (status == 401 || status == 403 || (status >= 300 && status < 400)) {
      throw new IOException("the Earthdata s3credentials endpoint " + endpoint + " refused the token (HTTP "
          + status + "): it may have expired (they last 60 days); generate a new one at urs.earthdata.nasa.gov");
    }
    if (status != 200) {
      throw new IOException("the Earthdata s3credentials endpoint " + endpoint + " answered HTTP " + status);
    }
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException("the Earthdata s3credentials endpoint " + endpoint + " answered with no JSON");
    }
    List<String> missing = new ArrayList<>();
    for (String field : List.of("accessKeyId", "secretAccessKey", "sessionToken", "expiration")) {
      if (json == null || !json.hasNonNull(field) || json.get(field).asText().isEmpty()) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException("the Earthdata s3credentials endpoint " + endpoint + " answered without " + missing);
    }
    Instant expires = parseExpiration(json.get("expiration").asText());
    current = new BasicSessionCredentials(json.get("accessKeyId").asText(), json.get("secretAccessKey").asText(),
        json.get("sessionToken").asText());
    expiration = expires;
    fetches++;
    LOG.info("Fetched temporary S3 credentials from {}, valid until {}", endpoint, expires);
  }

  /** NSIDC writes "2024-05-01 12:34:56+00:00"; ISO-8601 with a T is accepted too. */
  static Instant parseExpiration(String text) throws IOException {
    try {
      return OffsetDateTime.parse(text.trim().replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      throw new IOException("the s3credentials expiration '" + text + "' is not a date-time with an offset");
    }
  }

  @Override
  public synchronized String toString() {
    return "EarthdataCredentialsProvider[" + endpoint + ", " + (current == null ? "no credentials yet"
        : "credentials valid until " + expiration) + "]";
  }
}
