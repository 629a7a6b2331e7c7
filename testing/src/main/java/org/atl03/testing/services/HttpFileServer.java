package org.atl03.testing.services;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A range-capable web server on loopback for tests and benchmarks: Debian's nginx (python's http.server ignores
 * Range) serving one directory over {@code http://} and {@code https://} (a self-signed certificate made with
 * openssl for 127.0.0.1, trusted by clients through {@link #trustStore()} / {@link #certificate()}). It logs every
 * request (method, path, status, body bytes, Range) to {@link #accessLog()}; optionally it answers 401 unless a
 * request carries a given bearer token. One process ({@code master_process off}); {@link #close} stops it.
 */
public final class HttpFileServer implements AutoCloseable {

  public static final String TRUST_STORE_PASSWORD = "atl03-local";

  private final Process process;
  private final Path dir;
  private final int httpPort;
  private final int httpsPort;

  private HttpFileServer(Process process, Path dir, int httpPort, int httpsPort) {
    this.process = process;
    this.dir = dir;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
  }

  /** Serves {@code root}; the server's own files (config, certificate, logs) go to {@code dir}. */
  public static HttpFileServer start(Path root, Path dir) throws IOException {
    return start(root, dir, null);
  }

  /** The same, answering 401 to requests without {@code Authorization: Bearer <requiredToken>}. */
  public static HttpFileServer start(Path root, Path dir, String requiredToken) throws IOException {
    Files.createDirectories(dir.resolve("tmp"));
    Path nginx = nginx();
    certificate(dir);
    int httpPort = Ports.free();
    int httpsPort = Ports.free();
    String auth = requiredToken == null ? ""
        : "    if ($http_authorization != \"Bearer " + requiredToken + "\") { return 401; }";
    String tmp = dir.resolve("tmp").toString();
    String config = String.join("\n",
        "daemon off;",
        "master_process off;",
        "worker_processes 1;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("error.log") + " warn;",
        "events { worker_connections 1024; }",
        "http {",
        "  log_format ranges '$request_method $uri $status $body_bytes_sent \"$http_range\"';",
        "  access_log " + dir.resolve("access.log") + " ranges;",
        "  client_body_temp_path " + tmp + "/body;",
        "  proxy_temp_path " + tmp + "/proxy;",
        "  fastcgi_temp_path " + tmp + "/fastcgi;",
        "  uwsgi_temp_path " + tmp + "/uwsgi;",
        "  scgi_temp_path " + tmp + "/scgi;",
        "  default_type application/octet-stream;",
        "  sendfile on;",
        "  tcp_nodelay on;",
        "  keepalive_timeout 300s;",
        "  keepalive_requests 1000000;",
        "  server {",
        "    listen 127.0.0.1:" + httpPort + ";",
        "    listen 127.0.0.1:" + httpsPort + " ssl;",
        "    ssl_certificate " + dir.resolve("cert.pem") + ";",
        "    ssl_certificate_key " + dir.resolve("key.pem") + ";",
        "    root " + root.toAbsolutePath() + ";",
        auth,
        // redirects, as NSIDC's https endpoint answers: /moved/X to /X here, /elsewhere/X to localhost (another
        // host name for the same server, so clients must decide again whether the token may follow)
        "    location /moved/ { rewrite ^/moved/(.*)$ /$1 redirect; }",
        "    location ~ ^/elsewhere/(.*)$ { return 302 $scheme://localhost:$server_port/$1; }",
        // like a pre-signed S3 URL: GET only (HEAD is refused)
        "    location /get-only/ { if ($request_method = HEAD) { return 403; } "
            + "rewrite ^/get-only/(.*)$ /$1 break; }",
        "    location / { }",
        "  }",
        "}", "");
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, config, StandardCharsets.UTF_8);
    Path log = dir.resolve("nginx.out");
    Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log")
        .toString(), "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpFileServer server = new HttpFileServer(process, dir, httpPort, httpsPort);
    try {
      Ports.awaitListening("nginx", httpsPort, process, Duration.ofSeconds(30),
          () -> S3Server.tail(log) + "\n" + S3Server.tail(dir.resolve("error.log")));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static Path nginx() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new IllegalStateException("nginx is not installed: apt-get install -y nginx-light (bin/ensure-system-deps)");
  }

  /** A self-signed certificate for 127.0.0.1 (PEM for nginx and python, PKCS12 for Java). */
  private static void certificate(Path dir) throws IOException {
    run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "7", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
    try (var in = Files.newInputStream(dir.resolve("cert.pem"));
        var out = Files.newOutputStream(dir.resolve("trust.p12"))) {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("atl03-local",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      store.store(out, TRUST_STORE_PASSWORD.toCharArray());
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot write the trust store of " + dir.resolve("cert.pem") + ": " + e, e);
    }
  }

  private static void run(Path dir, String... command) throws IOException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command[0], e);
    }
  }

  public int httpPort() {
    return httpPort;
  }

  public int httpsPort() {
    return httpsPort;
  }

  /** {@code https://127.0.0.1:<port>/<relative>} */
  public String httpsUrl(String relative) {
    return "https://127.0.0.1:" + httpsPort + "/" + relative;
  }

  /** {@code http://127.0.0.1:<port>/<relative>} */
  public String httpUrl(String relative) {
    return "http://127.0.0.1:" + httpPort + "/" + relative;
  }

  /** The server's certificate (PEM), for python clients. */
  public Path certificate() {
    return dir.resolve("cert.pem");
  }

  /** A PKCS12 trust store holding the certificate, for Java clients (password {@value #TRUST_STORE_PASSWORD}). */
  public Path trustStore() {
    return dir.resolve("trust.p12");
  }

  public Path accessLog() {
    return dir.resolve("access.log");
  }

  /** One logged request. */
  public record Request(String method, String path, int status, long bytes, String range) {}

  /** The requests logged so far (nginx writes each line when the response is done). */
  public List<Request> requests() throws IOException {
    List<Request> out = new ArrayList<>();
    if (!Files.exists(accessLog())) {
      return out;
    }
    for (String line : Files.readAllLines(accessLog(), StandardCharsets.UTF_8)) {
      String[] f = line.split(" ", 5);
      if (f.length == 5) {
        out.add(new Request(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]),
            f[4].replace("\"", "")));
      }
    }
    return out;
  }

  /** Empties the access log (between measurements). */
  public void clearLog() throws IOException {
    if (Files.exists(accessLog())) {
      Files.write(accessLog(), new byte[0]); // nginx appends: truncation keeps its file handle valid
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "HttpFileServer[http " + httpPort + ", https " + httpsPort + "]";
  }
}
