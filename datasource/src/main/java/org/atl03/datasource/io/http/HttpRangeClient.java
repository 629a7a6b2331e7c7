package org.atl03.datasource.io.http;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.earthdata.EarthdataToken;

/**
 * Range reads and sizes over HTTP(S) with java.net.http: one {@code GET} with a {@code Range} header per read, a
 * {@code HEAD} for the size. Follows redirects itself (remembering where a URL led, since NSIDC answers every
 * request with a redirect to a pre-signed S3 URL) and sends the Earthdata bearer token only to hosts that may have
 * it: the host of the URL asked for, or those listed in {@value HadoopSettings#HTTP_TOKEN_HOSTS}, and only over https
 * (or loopback).
 * Retries connection failures and 5xx answers. Messages name the URL without its query and never the token.
 */
public final class HttpRangeClient {


  private static final int MAX_REDIRECTS = 8;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final HttpClient client;
  private final Optional<EarthdataToken> token;
  private final Set<String> tokenHosts;
  private final int retries;
  private final Duration timeout;
  private final Map<URI, URI> redirects = new ConcurrentHashMap<>();

  HttpRangeClient(HttpClient client, Optional<EarthdataToken> token, Set<String> tokenHosts, int retries,
      Duration timeout) {
    this.client = client;
    this.token = token;
    this.tokenHosts = tokenHosts;
    this.retries = retries;
    this.timeout = timeout;
  }

  /**
   * java.net.http hands a response body over in buffers of {@code jdk.httpclient.bufsize} bytes (16 KiB by
   * default), which caps one connection at about 100-200 MB/s here: an 8 MiB read took 50-130 ms against 10 ms
   * for curl. With 1 MiB buffers it takes 12-16 ms. The JDK reads the property once, when its HTTP client is first
   * used, so it is set (unless given) before this class builds one.
   */
  static final String BUFFER_SIZE_PROPERTY = "jdk.httpclient.bufsize";

  public static HttpRangeClient from(Configuration conf) throws IOException {
    if (System.getProperty(BUFFER_SIZE_PROPERTY) == null) {
      System.setProperty(BUFFER_SIZE_PROPERTY, Integer.toString(1024 * 1024));
    }
    Duration timeout = Duration.ofSeconds(conf.getInt(HadoopSettings.HTTP_TIMEOUT_SECONDS, 120));
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // one connection per read in flight, as S3 clients do
        .followRedirects(HttpClient.Redirect.NEVER) // redirects are followed here, deciding where the token goes
        .connectTimeout(Duration.ofSeconds(Math.min(30, timeout.toSeconds())));
    String trustStore = conf.getTrimmed(HadoopSettings.HTTP_TRUST_STORE);
    if (trustStore != null && !trustStore.isEmpty()) {
      builder.sslContext(TrustStores.sslContext(trustStore, conf.get(HadoopSettings.HTTP_TRUST_STORE_PASSWORD, "")));
    }
    Set<String> hosts = Arrays.stream(conf.getTrimmedStrings(HadoopSettings.HTTP_TOKEN_HOSTS))
        .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    return new HttpRangeClient(builder.build(), EarthdataToken.from(conf), hosts,
        conf.getInt(HadoopSettings.HTTP_RETRIES, 3), timeout);
  }

  /** What a HEAD tells about a URL. */
  public record Head(long length, long lastModified) {}

  /** The size (and modification time, 0 when unknown) of {@code uri}. */
  public Head head(URI uri) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = send(uri, "HEAD", null);
    } catch (AccessDeniedException e) {
      // a pre-signed S3 URL (where NSIDC redirects) is signed for GET only and refuses HEAD: ask for one byte
      return new Head(rangeTotal(uri), 0);
    }
    try (InputStream ignored = response.body()) {
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (length < 0) {
        // no size from HEAD (some servers): ask for one byte, the size is in Content-Range
        return new Head(rangeTotal(uri), lastModified(response));
      }
      return new Head(length, lastModified(response));
    }
  }

  private long rangeTotal(URI uri) throws IOException {
    HttpResponse<InputStream> response = send(uri, "GET", "bytes=0-0");
    try (InputStream ignored = response.body()) {
      Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
      if (response.statusCode() != 206 || !m.matches() || m.group(3).equals("*")) {
        throw new IOException(Urls.redact(uri) + ": the server tells no size (no Content-Length, no Content-Range)");
      }
      return Long.parseLong(m.group(3));
    }
  }

  private static long lastModified(HttpResponse<?> response) {
    return response.headers().firstValue("Last-Modified").map(v -> {
      try {
        return java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant().toEpochMilli();
      } catch (java.time.format.DateTimeParseException e) {
        return 0L;
      }
    }).orElse(0L);
  }

  /**
   * Reads {@code buf[off, off + len)} from bytes {@code [position, position + len)} of {@code uri}: one request.
   *
   * @throws EOFException when the resource ends before {@code position + len}
   */
  public void read(URI uri, long position, byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    String range = "bytes=" + position + "-" + (position + len - 1);
    for (int attempt = 0; ; attempt++) {
      HttpResponse<InputStream> response = send(uri, "GET", range);
      try (InputStream body = response.body()) {
        checkRangeAnswer(uri, response, position, range);
        int read;
        try {
          read = body.readNBytes(buf, off, len);
        } catch (IOException e) {
          if (attempt >= retries) {
            throw new IOException(Urls.redact(uri) + ": reading " + range + " failed: " + e, e);
          }
          backoff(uri, attempt); // the connection broke mid-body: ask again
          continue;
        }
        if (read < len) {
          throw new EOFException(Urls.redact(uri) + ": " + read + " of " + len + " bytes at " + position
              + " (the resource ends early)");
        }
        return;
      }
    }
  }

  private static void checkRangeAnswer(URI uri, HttpResponse<?> response, long position, String range)
      throws IOException {
    int status = response.statusCode();
    if (status == 206) {
      String sent = response.headers().firstValue("Content-Range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(sent);
      if (m.matches() && Long.parseLong(m.group(1)) != position) {
        throw new IOException(Urls.redact(uri) + ": asked for " + range + ", the server sent " + sent);
      }
    } else if (status == 200) {
      if (position != 0) {
        // the server ignores Range: never stream a whole granule to use a few bytes of it
        throw new IOException(Urls.redact(uri) + ": the server ignores Range requests (200 for " + range + ")");
      }
    } else {
      throw new IOException(Urls.redact(uri) + ": HTTP " + status + " for " + range);
    }
  }

  /**
   * Sends a request, following redirects and retrying connection failures and 5xx; returns the final 2xx response
   * (body unread). 404 is {@link FileNotFoundException}, 401/403 {@link AccessDeniedException}, 416 EOF.
   */
  private HttpResponse<InputStream> send(URI original, String method, String range) throws IOException {
    URI target = redirects.getOrDefault(original, original);
    boolean viaRemembered = target != original;
    int redirectsFollowed = 0;
    for (int attempt = 0; ; ) {
      HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
          .method(method, HttpRequest.BodyPublishers.noBody());
      if (range != null) {
        request.header("Range", range);
      }
      if (token.isPresent() && mayReceiveToken(original, target)) {
        request.header("Authorization", token.get().authorizationHeader());
      }
      HttpResponse<InputStream> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted reading " + Urls.redact(original));
      } catch (IOException e) {
        if (attempt++ >= retries) {
          throw new IOException(Urls.redact(original) + ": " + method + " failed after " + attempt + " attempts: "
              + e, e);
        }
        backoff(original, attempt);
        continue;
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return response;
      }
      response.body().close();
      if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
        if (++redirectsFollowed > MAX_REDIRECTS) {
          throw new IOException(Urls.redact(original) + ": more than " + MAX_REDIRECTS + " redirects");
        }
        target = target.resolve(response.headers().firstValue("Location").get());
        if (status != 303) {
          redirects.put(original, target);
        }
        continue;
      }
      if (viaRemembered && (status == 401 || status == 403 || status == 404)) {
        // a remembered redirect target (a pre-signed URL) has expired: start again from the URL itself
        redirects.remove(original);
        target = original;
        viaRemembered = false;
        continue;
      }
      if (status == 404 || status == 410) {
        throw new FileNotFoundException(Urls.redact(original) + ": HTTP " + status + " (no such file)");
      }
      if (status == 401 || status == 403) {
        throw new AccessDeniedException(Urls.redact(original), null, "HTTP " + status
            + (token.isPresent() ? " with the Earthdata token" : " (no Earthdata token configured: set "
                + HadoopSettings.EARTHDATA_TOKEN + ", " + HadoopSettings.EARTHDATA_TOKEN_FILE + " or $"
                + EarthdataToken.TOKEN_ENV + ")"));
      }
      if (status == 416) {
        throw new EOFException(Urls.redact(original) + ": HTTP 416, " + range + " lies past the end");
      }
      if (status >= 500 && attempt++ < retries) {
        backoff(original, attempt);
        continue;
      }
      throw new IOException(Urls.redact(original) + ": HTTP " + status + " for " + method
          + (range == null ? "" : " " + range));
    }
  }

  /** The token goes to the host that was asked, or a listed one; over TLS, or to this machine. */
  private boolean mayReceiveToken(URI original, URI target) {
    String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
    boolean trustedHost = host.equalsIgnoreCase(original.getHost()) || tokenHosts.contains(host);
    boolean secure = "https".equalsIgnoreCase(target.getScheme()) || Urls.isLoopback(target);
    return trustedHost && secure;
  }

  private static void backoff(URI uri, int attempt) throws InterruptedIOException {
    try {
      Thread.sleep(Math.min(2000L, 100L << Math.min(attempt, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted retrying " + Urls.redact(uri));
    }
  }
}
