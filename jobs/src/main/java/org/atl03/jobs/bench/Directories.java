package org.atl03.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The benchmarks' work directories: sizes, deletion, and publishing what was written beside them. */
public final class Directories {

  private Directories() {}

  /** The bytes of every regular file under {@code dir}; 0 when it does not exist. */
  public static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** {@link #delete}, for a temporary directory whose leftovers are harmless. */
  public static void deleteQuietly(Path dir) {
    try {
      delete(dir);
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /**
   * Replaces {@code dir} by {@code partial}, written beside it, in one rename: an interrupted run leaves either the
   * old directory or none, never a half-written one.
   */
  public static void publish(Path partial, Path dir) throws IOException {
    delete(dir);
    Files.createDirectories(dir.getParent());
    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
  }
}
