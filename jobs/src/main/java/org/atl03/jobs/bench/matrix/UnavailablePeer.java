package org.atl03.jobs.bench.matrix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atl03.testing.python.BundledPython;

/**
 * A peer of the seed matrix that has no runner here, with the reason found on this machine: whether its Python
 * module imports, and whether Debian has a package for it (apt-cache). h5coro (SlideRule's HDF5 reader),
 * gedi_subsetter and pyarrow are on PyPI only, and PyPI is not reachable from the benchmark machine.
 */
final class UnavailablePeer extends PeerReader {

  private final String module;
  private String reason;

  UnavailablePeer(String name, String module, String description, Set<BenchFormat> formats) {
    super(name, description, formats);
    this.module = module;
  }

  static List<BenchReader> all() {
    return List.of(
        new UnavailablePeer("h5coro", "h5coro", "h5coro (SlideRule's cloud-optimized HDF5 reader)", HDF5),
        new UnavailablePeer("gedi_subsetter", "gedi_subsetter", "gedi_subsetter (MAAP's HDF5 subsetter)", HDF5),
        new UnavailablePeer("pyarrow", "pyarrow", "pyarrow.parquet on GeoParquet", Set.of(BenchFormat.GEOPARQUET)));
  }

  @Override
  public synchronized String cannotRun() {
    if (reason == null) {
      String missing = BundledPython.missingModules(BundledPython.python(), List.of(module));
      reason = missing == null
          ? "python module " + module + " is installed, but bench has no runner for it yet"
          : "python module " + module + " is not installed; " + debianPackage("python3-" + module.replace('_', '-'))
              + "; PyPI is not reachable from this machine";
    }
    return reason;
  }

  /** Whether apt knows a package of that name (a candidate version), as this machine's apt-cache says. */
  private static String debianPackage(String pkg) {
    try {
      Process p = new ProcessBuilder("apt-cache", "policy", pkg).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("Candidate: (\\S+)").matcher(out);
      if (m.find() && !m.group(1).equals("(none)")) {
        return "Debian has " + pkg + " " + m.group(1) + " (apt-get install " + pkg + ")";
      }
      return "Debian has no package " + pkg + " (apt-cache policy)";
    } catch (IOException e) {
      return "apt-cache is not available to look for " + pkg;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public CellResult.Measured run(CellContext context) {
    throw new IllegalStateException(name() + " cannot run here: " + cannotRun());
  }

  @Override
  public Map<String, Object> versions() {
    return Map.of();
  }
}
