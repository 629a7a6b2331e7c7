package org.atl03.jobs.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the benchmark's files are read from: how a local file's path becomes the URI a reader opens, and the Hadoop
 * FileSystem scheme whose statistics count its reads. Local disk today; S3 (a loopback server) and HTTP with emulated
 * round-trip times slot in as further storages that serve the same files under other URIs.
 */
enum BenchStorage {
  LOCAL("local", "file");

  private final String key;
  private final String scheme;

  BenchStorage(String key, String scheme) {
    this.key = key;
    this.scheme = scheme;
  }

  String key() {
    return key;
  }

  /** The Hadoop FileSystem scheme its reads are counted under. */
  String scheme() {
    return scheme;
  }

  String uri(Path local) {
    return new org.apache.hadoop.fs.Path(local.toAbsolutePath().normalize().toUri()).toString();
  }

  static BenchStorage named(String name) {
    for (BenchStorage s : values()) {
      if (s.key.equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown storage " + name + "; known: "
        + List.of(values()).stream().map(BenchStorage::key).toList()
        + " (s3 and http come with the loopback S3 / HTTP servers)");
  }
}
