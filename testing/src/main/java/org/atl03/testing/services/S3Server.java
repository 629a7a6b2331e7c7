package org.atl03.testing.services;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3 API server on loopback for tests and benchmarks: s3proxy over its file-system store, in a JVM of its own
 * (class path from {@code s3server/target/classpath.txt}, built by {@code mvn package}). Each instance has its own
 * port, store directory and bucket ({@code atl03-<port>}, so Hadoop's FileSystem cache, keyed by bucket, never
 * hands one server's client to another). {@link #configure} points s3a at it: path-style access, plain HTTP,
 * random-access reads (one ranged GET per positional read). {@link #close} stops the JVM.
 */
public final class S3Server implements AutoCloseable {

  public static final String ACCESS_KEY = "atl03-local";
  public static final String SECRET_KEY = "atl03-local-secret"; // a loopback test server's, not a real secret

  private final Process process;
  private final int port;
  private final Path dir;
  private final String bucket;

  private S3Server(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.bucket = "atl03-" + port;
  }

  /** Starts a server storing under {@code dir} (created; the caller removes it), and creates its bucket. */
  public static S3Server start(Path dir) throws IOException {
    Path root = ProjectRoot.get();
    Path classpath = root.resolve("s3server/target/classpath.txt");
    if (!Files.isRegularFile(classpath)) {
      throw new IllegalStateException(classpath + " is missing: build first (mvn -DskipTests package, or ./atl03 build)");
    }
    int port = Ports.free();
    // s3a creates no buckets; in the file-system store a bucket is a directory
    Files.createDirectories(dir.resolve("store").resolve("atl03-" + port));
    Properties props = new Properties();
    props.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
    props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    props.setProperty("s3proxy.identity", ACCESS_KEY);
    props.setProperty("s3proxy.credential", SECRET_KEY);
    props.setProperty("jclouds.provider", "filesystem-nio2");
    props.setProperty("jclouds.filesystem.basedir", dir.resolve("store").toString());
    props.setProperty("jclouds.identity", ACCESS_KEY);
    props.setProperty("jclouds.credential", SECRET_KEY);
    Path properties = dir.resolve("s3proxy.properties");
    try (var out = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
      props.store(out, "atl03 S3Server");
    }
    Path log = dir.resolve("s3proxy.log");
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m",
        "-Dlogback.configurationFile=" + root.resolve("s3server/logback.xml"),
        "-cp", Files.readString(classpath).trim(),
        "org.gaul.s3proxy.Main", "--properties", properties.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3Server server = new S3Server(process, port, dir);
    try {
      Ports.awaitListening("s3proxy", port, process, Duration.ofSeconds(90), () -> tail(log));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public int port() {
    return port;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public String bucket() {
    return bucket;
  }

  /** {@code s3a://<bucket>/} */
  public URI bucketUri() {
    return URI.create("s3a://" + bucket + "/");
  }

  /** {@code s3a://<bucket>/<key>} */
  public String url(String key) {
    return "s3a://" + bucket + "/" + key;
  }

  /** Sets the s3a settings of this server's bucket on {@code conf} and returns it. */
  public Configuration configure(Configuration conf) {
    return configure(conf, endpoint());
  }

  /** The same, with the client sent to {@code endpoint} (e.g. a latency proxy in front of this server). */
  public Configuration configure(Configuration conf, String endpoint) {
    for (var e : s3aSettings(endpoint).entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    return conf;
  }

  /** The per-bucket s3a settings (fs.s3a.bucket.NAME.*) for a client of this server through {@code endpoint}. */
  public java.util.Map<String, String> s3aSettings(String endpoint) {
    String p = "fs.s3a.bucket." + bucket + ".";
    java.util.Map<String, String> s = new java.util.LinkedHashMap<>();
    s.put(p + "endpoint", endpoint);
    s.put(p + "endpoint.region", "us-east-1");
    s.put(p + "path.style.access", "true");
    s.put(p + "connection.ssl.enabled", "false");
    s.put(p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put(p + "access.key", ACCESS_KEY);
    s.put(p + "secret.key", SECRET_KEY);
    s.put(p + "bucket.probe", "0");
    s.put(p + "experimental.input.fadvise", "random");
    return s;
  }

  /**
   * Stores {@code file} as {@code key} through the S3 API (a PUT, multipart when large) and returns its s3a URL.
   */
  public String upload(Path file, String key) throws IOException {
    Configuration conf = configure(new Configuration());
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(url(key));
    // a private client: FileSystem.get would cache this direct one for the bucket, and later reads through a proxy
    // (latency, faults) configured for the same bucket would silently bypass it
    try (org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.newInstance(bucketUri(), conf)) {
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri()), target);
    }
    return target.toString();
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "S3Server[" + endpoint() + ", bucket " + bucket + "]";
  }
}
