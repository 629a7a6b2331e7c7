package org.atl03.jobs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real third-party files in ../shared/fixtures: referenced in place, skipped with a message when absent. */
public final class Fixtures {
  private Fixtures() {}

  public static Path require(String relative) {
    String root = System.getProperty("atl03.fixtures", "../shared/fixtures");
    Path path = Path.of(root).resolve(relative).normalize();
    assumeTrue(Files.isRegularFile(path), "real-data fixture absent, test skipped: " + path);
    return path;
  }
}
