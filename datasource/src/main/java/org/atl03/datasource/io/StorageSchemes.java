package org.atl03.datasource.io;

import org.apache.hadoop.conf.Configuration;

/**
 * Which Hadoop FileSystem serves which URL scheme, as defaults under every Hadoop {@link Configuration}: {@code http:}
 * and {@code https:} by our range-reading {@link org.atl03.datasource.io.http.HttpRangeFileSystem} (Hadoop's own reads
 * whole files only). Installed as a default resource, so explicit settings ({@code spark.hadoop.fs.https.impl},
 * {@code conf.set}) still win. Classes of the byte seam call {@link #install()} before they resolve a FileSystem.
 */
public final class StorageSchemes {

  static final String RESOURCE = "atl03-storage-defaults.xml";

  static {
    Configuration.addDefaultResource(RESOURCE);
  }

  private StorageSchemes() {}

  /** Idempotent: the first call (class initialisation) adds the defaults to every configuration. */
  public static void install() {}
}
