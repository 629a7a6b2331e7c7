package org.atl03.datasource.io;

/**
 * Tells a store that failed (a network error, the S3 client giving up after its retries) from a file that is
 * corrupt. The first is not the granule's fault: it must fail the query even under onCorruptGranule=skip, or an
 * outage would drop rows as if the granules were bad; and it must not be reported as corrupt metadata.
 */
public final class StorageFailures {

  private StorageFailures() {}

  /** Whether {@code t}, or any of its causes, is a failure of the network or of an object store's client. */
  public static boolean isStorageFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String name = c.getClass().getName();
      if (name.startsWith("java.net.") || name.startsWith("javax.net.") || name.startsWith("com.amazonaws.")
          || name.startsWith("org.apache.hadoop.fs.s3a.") || name.startsWith("org.apache.http.")
          || name.startsWith("java.net.http.")) {
        return true;
      }
    }
    return false;
  }
}
