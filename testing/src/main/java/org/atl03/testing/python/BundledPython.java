package org.atl03.testing.python;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The python side of the jobs: scripts shipped in the jar under {@value #RESOURCE_DIR} (from src/main/python), run
 * with Debian's python3 + h5py so that HDF5 files are written and read by the HDF5 C library.
 */
public final class BundledPython {

  /** System property or environment variable naming the python interpreter to use. */
  public static final String PYTHON_OVERRIDE = "ATL03_PYTHON";
  public static final String DEFAULT_PYTHON = "/usr/bin/python3";
  public static final String APT_INSTALL = "apt-get install -y python3-h5py python3-numpy hdf5-tools";
  public static final String RESOURCE_DIR = "org/atl03/python/";

  private static final Pattern MISSING_MODULE = Pattern.compile("No module named '([A-Za-z0-9_]+)");

  private BundledPython() {}

  /** The interpreter: -DATL03_PYTHON, else $ATL03_PYTHON, else /usr/bin/python3. */
  public static String python() {
    String fromProperty = System.getProperty(PYTHON_OVERRIDE);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty;
    }
    String fromEnv = System.getenv(PYTHON_OVERRIDE);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_PYTHON;
  }

  /** Copies the bundled script or data file {@code name} into {@code dir}; returns its path. */
  public static Path extract(Path dir, String name) throws IOException {
    try (InputStream in = BundledPython.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + RESOURCE_DIR + name
            + " is missing: the jar was built without its src/main/python");
      }
      Path target = dir.resolve(name);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    }
  }

  /** Fails early, naming the Debian package to install, when python3, numpy or h5py is absent. */
  public static void checkPython(String python) {
    List<String> output = new ArrayList<>();
    int exit;
    try {
      Process process = new ProcessBuilder(python, "-c", "import numpy, h5py").redirectErrorStream(true).start();
      try (BufferedReader reader = reader(process.getInputStream())) {
        reader.lines().forEach(output::add);
      }
      exit = process.waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run python interpreter '" + python + "' (" + e.getMessage()
          + "). Install Debian's python3 with h5py: " + APT_INSTALL
          + " (or point -D" + PYTHON_OVERRIDE + "= / $" + PYTHON_OVERRIDE + " at one)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking " + python, e);
    }
    if (exit != 0) {
      String text = String.join("\n", output);
      Matcher missing = MISSING_MODULE.matcher(text);
      String what = missing.find() ? "python module '" + missing.group(1) + "' (Debian package python3-"
          + missing.group(1) + ")" : "a working numpy/h5py";
      throw new IllegalStateException(python + " lacks " + what + ". Install with: " + APT_INSTALL + "\n" + text);
    }
  }

  public static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Null when every module imports, else which do not (with Debian's package name). */
  public static String missingModules(String python, List<String> modules) {
    List<String> missing = new ArrayList<>();
    for (String module : modules) {
      try {
        Process p = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
          missing.add(module);
        }
      } catch (IOException e) {
        return "cannot run " + python + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    return "python module(s) " + missing + " not installed in " + python + " (Debian: apt-get install "
        + String.join(" ", missing.stream().map(m -> "python3-" + m).toList()) + ")";
  }
}
