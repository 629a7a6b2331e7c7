package org.atl03.jobs.bench.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.atl03.jobs.bench.Directories;
import org.atl03.testing.services.HttpFileServer;
import org.atl03.testing.services.LatencyProxy;
import org.atl03.testing.services.S3Server;

/**
 * Where the cells read the files from (the storage axis): {@code local} disk, {@code s3} (a loopback S3 server,
 * s3proxy, read through Hadoop's s3a) or {@code http} (nginx, read through our range-read FileSystem), the remote
 * ones optionally {@code @<N>ms} further away (a latency proxy adding N ms per round trip). Remote storages serve the
 * run's WORK directory (granules and conversions) under the same relative paths, so kerchunk refs written with
 * relative data URLs resolve on every storage. Every remote read passes the latency proxy, which counts requests
 * and bytes the same way for every reader.
 */
abstract class BenchStorage implements AutoCloseable {

  private static final Pattern SPEC = Pattern.compile("(local|s3|http)(?:@(\\d+)ms)?");

  private final String key;

  private BenchStorage(String key) {
    this.key = key;
  }

  String key() {
    return key;
  }

  /** The Hadoop FileSystem scheme of its URIs (whose statistics count local reads). */
  abstract String scheme();

  /** The URI a reader opens for a file or directory under the served root. */
  abstract String uri(Path local);

  /** Hadoop settings its clients need (none for local). */
  Map<String, String> hadoopSettings() {
    return Map.of();
  }

  /** A configuration with {@link #hadoopSettings()}. */
  Configuration hadoopConf() {
    Configuration conf = new Configuration();
    hadoopSettings().forEach(conf::set);
    return conf;
  }

  /** What crossed the latency proxy so far, or null for local disk. */
  LatencyProxy.Traffic traffic() {
    return null;
  }

  /** Why this storage cannot serve the format or reader, or null. */
  String notApplicable(BenchFormat format, BenchReader reader) {
    return null;
  }

  boolean isLocal() {
    return false;
  }

  @Override
  public void close() {}

  /** Validates a storage name of a config. */
  static void validate(String spec) {
    if (!SPEC.matcher(spec).matches()) {
      throw new IllegalArgumentException("unknown storage " + spec + "; known: local, s3, http, each remote one "
          + "optionally with a round-trip time: s3@20ms, http@50ms");
    }
  }

  static BenchStorage local() {
    return new Local();
  }

  /** Starts the storage named {@code spec}, serving {@code root} (remote storages). */
  static BenchStorage start(String spec, Path root) throws IOException {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      validate(spec);
    }
    Duration rtt = Duration.ofMillis(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    return switch (m.group(1)) {
      case "local" -> new Local();
      case "s3" -> S3.start(spec, root, rtt);
      case "http" -> Http.start(spec, root, rtt);
      default -> throw new IllegalStateException(spec);
    };
  }

  static String relative(Path root, Path local) {
    Path abs = local.toAbsolutePath().normalize();
    if (!abs.startsWith(root)) {
      throw new IllegalArgumentException(abs + " is not under " + root + ", which the remote storage serves");
    }
    return root.relativize(abs).toString();
  }

  static final class Local extends BenchStorage {
    Local() {
      super("local");
    }

    @Override
    String scheme() {
      return "file";
    }

    @Override
    String uri(Path local) {
      return new org.apache.hadoop.fs.Path(local.toAbsolutePath().normalize().toUri()).toString();
    }

    @Override
    boolean isLocal() {
      return true;
    }
  }

  /** Shared by S3 and HTTP: the proxy in front of the server, and what the Python peers cannot do yet. */
  abstract static class Remote extends BenchStorage {
    final Path root;
    final LatencyProxy proxy;

    Remote(String key, Path root, LatencyProxy proxy) {
      super(key);
      this.root = root;
      this.proxy = proxy;
    }

    @Override
    LatencyProxy.Traffic traffic() {
      return proxy.traffic();
    }

    @Override
    String notApplicable(BenchFormat format, BenchReader reader) {
      if (reader instanceof PeerReader) {
        return "the bench runs the Python peers on local files only";
      }
      return null;
    }
  }

  static final class S3 extends Remote {
    private final S3Server server;

    private S3(String key, Path root, S3Server server, LatencyProxy proxy) {
      super(key, root, proxy);
      this.server = server;
    }

    static S3 start(String key, Path root, Duration rtt) throws IOException {
      Path dir = root.resolve("storage-" + key.replace('@', '-'));
      deleteRecursively(dir);
      S3Server server = S3Server.start(dir);
      try {
        upload(root, server);
        LatencyProxy proxy = LatencyProxy.start(server.port(), rtt);
        return new S3(key, root, server, proxy);
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
    }

    @Override
    String scheme() {
      return "s3a";
    }

    @Override
    String uri(Path local) {
      return server.url(relative(root, local));
    }

    @Override
    Map<String, String> hadoopSettings() {
      return server.s3aSettings("http://127.0.0.1:" + proxy.port());
    }

    @Override
    public void close() {
      proxy.close();
      server.close();
    }
  }

  static final class Http extends Remote {
    private final HttpFileServer server;

    private Http(String key, Path root, HttpFileServer server, LatencyProxy proxy) {
      super(key, root, proxy);
      this.server = server;
    }

    static Http start(String key, Path root, Duration rtt) throws IOException {
      Path dir = root.resolve("storage-" + key.replace('@', '-'));
      deleteRecursively(dir);
      Files.createDirectories(dir);
      HttpFileServer server = HttpFileServer.start(root, dir);
      try {
        return new Http(key, root, server, LatencyProxy.start(server.httpPort(), rtt));
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
    }

    @Override
    String scheme() {
      return "http";
    }

    @Override
    String uri(Path local) {
      return "http://127.0.0.1:" + proxy.port() + "/" + relative(root, local);
    }

    @Override
    String notApplicable(BenchFormat format, BenchReader reader) {
      if (!format.perGranule()) {
        return format.key() + " is a directory, and HTTP has no listing";
      }
      return super.notApplicable(format, reader);
    }

    @Override
    public void close() {
      proxy.close();
      server.close();
    }
  }

  /**
   * Uploads every file under {@code root} (not the storages' own directories, not Hadoop's .crc files) through
   * the S3 API under its relative path: objects put beside s3proxy's back have no ETag, which s3a requires.
   */
  private static void upload(Path root, S3Server server) throws IOException {
    Configuration conf = server.configure(new Configuration());
    // a private instance: FileSystem.get would cache this direct client for the bucket, and the cells' reads would
    // then bypass the latency proxy (and its counters)
    try (org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.newInstance(server.bucketUri(), conf);
        Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(f).toString();
        if (rel.startsWith("storage-") || f.getFileName().toString().endsWith(".crc")) {
          continue;
        }
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()),
            new org.apache.hadoop.fs.Path(server.url(rel)));
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      Directories.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> describe(List<BenchStorage> storages) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (BenchStorage s : storages) {
      out.put(s.key(), s.isLocal() ? "local disk (file:)" : s.scheme() + " via a latency proxy: " + s.key());
    }
    return out;
  }
}
