package org.atl03.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atl03.jobs.python.BundledPython;

/**
 * A Python peer, run as a subprocess of Debian's python3 through the bundled {@code bench_peers.py}: h5py,
 * xarray + h5netcdf, xarray on our refs (zarr + fsspec), fiona and geopandas on FlatGeobuf. One process per cell
 * runs every repetition (interpreter start and imports untimed, as the Spark session's start is); it computes the
 * same result and checksums as the Java side. It runs when its modules import; otherwise the cell says which is
 * missing.
 */
final class PythonPeer implements BenchReader {

  static final String SCRIPT = "bench_peers.py";
  /** bench_peers.py's exit code when the library cannot read the input at all (its message on the last line). */
  static final int CANNOT_READ_EXIT = 3;

  private final String name;
  private final String description;
  private final Set<BenchFormat> formats;
  private final List<String> modules;
  private final Map<String, Object> versions = new LinkedHashMap<>();
  private String cannotRun;
  private boolean checked;

  PythonPeer(String name, String description, Set<BenchFormat> formats, List<String> modules) {
    this.name = name;
    this.description = description;
    this.formats = formats;
    this.modules = modules;
  }

  static List<BenchReader> all() {
    Set<BenchFormat> hdf5 = Set.of(BenchFormat.HDF5, BenchFormat.HDF5_PAGED, BenchFormat.HDF5_V007);
    Set<BenchFormat> refs = Set.of(BenchFormat.REFS, BenchFormat.REFS_PAGED);
    return List.of(
        new PythonPeer("h5py", "h5py: f[path][...] per dataset, one thread", hdf5, List.of("h5py", "numpy")),
        new PythonPeer("xarray-h5netcdf", "xarray.open_dataset(engine=\"h5netcdf\", group=beam/heights)", hdf5,
            List.of("xarray", "h5netcdf", "h5py")),
        new PythonPeer("xarray-zarr", "xarray on our kerchunk refs: fsspec reference:// + zarr", refs,
            List.of("xarray", "zarr", "fsspec")),
        new PythonPeer("fiona", "fiona (GDAL/OGR) feature iteration, bbox/where and the query's fields pushed to OGR",
            Set.of(BenchFormat.FLATGEOBUF), List.of("fiona")),
        new PythonPeer("geopandas",
            "geopandas.read_file (fiona engine), bbox/where and the query's fields pushed to OGR",
            Set.of(BenchFormat.FLATGEOBUF), List.of("geopandas", "fiona")));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String notApplicable(BenchQuery query, BenchFormat format) {
    if (!formats.contains(format)) {
      return name + " does not read " + format.key();
    }
    if (query == BenchQuery.Q6) {
      return "Q6 scales Spark executor cores; a Python peer reads on one thread";
    }
    return null;
  }

  @Override
  public synchronized String cannotRun() {
    if (!checked) {
      checked = true;
      cannotRun = missingModules(BundledPython.python(), modules);
    }
    return cannotRun;
  }

  /** Null when every module imports, else which do not (with Debian's package name). */
  static String missingModules(String python, List<String> modules) {
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

  @Override
  public boolean needsSpark() {
    return false;
  }

  @Override
  public CellResult.Measured run(CellContext context) throws Exception {
    Path dir = Files.createTempDirectory("atl03-bench-peer");
    try {
      Path script = BundledPython.extract(dir, SCRIPT);
      List<String> command = new ArrayList<>(List.of(BundledPython.python(), script.toString(), name,
          "--query", context.query().name(),
          "--files", String.join(",", context.paths().stream().map(p -> p.toAbsolutePath().toString()).toList()),
          // NAME=VALUE: a value starting with '-' (a western longitude) would read as an option
          "--bbox=" + context.parameters().bboxArgument(), "--time=" + context.parameters().timeArgument(),
          "--polygon=" + context.parameters().polygonArgument(),
          "--repetitions", Integer.toString(context.repetitions())));
      if (context.dropCaches()) {
        command.add("--drop-caches");
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader reader = BundledPython.reader(process.getInputStream())) {
        reader.lines().forEach(lines::add);
      }
      int exit = process.waitFor();
      if (exit == CANNOT_READ_EXIT && !lines.isEmpty() && lines.get(lines.size() - 1).contains("\"cannot_read\"")) {
        throw new CannotRunException(new ObjectMapper().readTree(lines.get(lines.size() - 1)).get("cannot_read")
            .asText());
      }
      if (exit != 0 || lines.isEmpty() || !lines.get(lines.size() - 1).startsWith("{")) {
        throw new IllegalStateException(SCRIPT + " " + name + " " + context.cell().id() + " exited with " + exit
            + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
      }
      JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
      report.get("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
      List<CellResult.Repetition> repetitions = new ArrayList<>();
      for (JsonNode r : report.get("repetitions")) {
        repetitions.add(new CellResult.Repetition(r.get("seconds").asDouble(), r.get("cold").asBoolean(),
            r.get("page_cache_dropped").asBoolean(), longOrNull(r.get("bytes_read")), longOrNull(r.get("requests"))));
      }
      JsonNode res = report.get("result");
      Map<String, String> checksums = new LinkedHashMap<>();
      res.get("checksums").fields().forEachRemaining(e -> checksums.put(e.getKey(), e.getValue().asText()));
      CellResult.QueryResult result = new CellResult.QueryResult(res.get("photons").asLong(),
          res.get("mean_h_ph").isNull() ? null : res.get("mean_h_ph").asDouble(), checksums);
      return new CellResult.Measured(repetitions, result,
          "/proc/self/io rchar of the python process (bytes returned by read syscalls, page cache included)",
          "/proc/self/io syscr of the python process (read syscalls)", Map.of());
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Long longOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }

  @Override
  public Map<String, Object> versions() {
    return versions;
  }
}
