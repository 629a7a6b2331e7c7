package org.atl03.datasource.io;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;

/**
 * Which Hadoop FileSystem serves which URL scheme, as defaults under every Hadoop {@link Configuration}: {@code http:}
 * and {@code https:} by our range-reading {@link org.atl03.datasource.io.http.HttpRangeFileSystem} (Hadoop's own reads
 * whole files only). Installed as a default resource, so explicit settings ({@code spark.hadoop.fs.https.impl},
 * {@code conf.set}) still win. The byte seam's entry points ({@link HadoopStorage}, {@link HadoopInputFile},
 * {@link InputFiles}) call {@link #install()} before they resolve a FileSystem: explicitly, not on class loading.
 */
public final class StorageSchemes {

  static final String RESOURCE = "atl03-storage-defaults.xml";

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private StorageSchemes() {}

  /** Adds the defaults to every Hadoop configuration, once; later calls do nothing. */
  public static void install() {
    if (INSTALLED.compareAndSet(false, true)) {
      Configuration.addDefaultResource(RESOURCE);
    }
  }
}
