package org.atl03.jobs.reliability;

import java.util.Map;
import java.util.Random;

/** A file the harness mutates, and the read path it runs on each mutant. */
public interface FuzzTarget {

  /** "kind:file name", for reports. */
  String name();

  /** The name every error about a mutant must contain (the file being read). */
  String fileName();

  /** Another name an error may use instead (the data file behind references), or null. */
  default String otherFileName() {
    return null;
  }

  Mutation mutate(Random rnd);

  /** The unmutated bytes. */
  byte[] original();

  /** Reads {@code bytes} (written where the target's read path expects the file) through the whole read path. */
  Observation read(byte[] bytes) throws Exception;

  /**
   * What a read returned: rows and a checksum of the values per key. Keys starting "scan:" are the photons of
   * one granule/beam as the atl03 scan returns them; other keys are individual datasets or features.
   */
  record Observation(Map<String, Long> rows, Map<String, Long> checksums) {}
}
