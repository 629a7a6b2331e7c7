package org.atl03.testing.services;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the services' files live in: -Datl03.root (set by ./atl03 and the tests), else the working dir. */
final class ProjectRoot {

  private ProjectRoot() {}

  static Path get() {
    String root = System.getProperty("atl03.root");
    Path path = root == null || root.isBlank() ? Path.of("").toAbsolutePath() : Path.of(root);
    if (!Files.isRegularFile(path.resolve("pom.xml"))) {
      throw new IllegalStateException(path + " is not the atl03-spark checkout (no pom.xml): run from it or set "
          + "-Datl03.root");
    }
    return path;
  }
}
