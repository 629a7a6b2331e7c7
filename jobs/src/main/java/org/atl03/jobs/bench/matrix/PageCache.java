package org.atl03.jobs.bench.matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Empties the OS page cache before a cold repetition, when this process may ({@code /proc/sys/vm/drop_caches} is
 * writable by root only): without it, "cold" only means the first run in the process, its files possibly cached.
 */
final class PageCache {

  private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

  private PageCache() {}

  /** True when the cache was dropped. */
  static boolean drop() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      Files.writeString(DROP_CACHES, "3\n");
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
