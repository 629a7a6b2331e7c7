package org.atl03.jobs.bench.matrix;

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
import org.atl03.jobs.bench.Directories;
import org.atl03.testing.python.BundledPython;

/**
 * A Python peer, run as a subprocess of Debian's python3 through the bundled {@code bench_peers.py}: h5py,
 * xarray + h5netcdf, xarray on our refs (zarr + fsspec), fiona and geopandas on FlatGeobuf. One process per reader
 * serves its cells, each with every repetition (interpreter start and imports untimed, as the Spark session's start
 * is); it computes the
 * same result and checksums as the Java side. It runs when its modules import; otherwise the cell says which is
 * missing.
 */
final class PythonPeer extends PeerReader {

  static final String SCRIPT = "bench_peers.py";
  private final List<String> modules;
  private final Map<String, Object> versions = new LinkedHashMap<>();
  private String cannotRun;
  private boolean checked;
  private Worker worker;

  PythonPeer(String name, String description, Set<BenchFormat> formats, List<String> modules) {
    super(name, description, formats);
    this.modules = modules;
  }

  static List<BenchReader> all() {
    Set<BenchFormat> refs = Set.of(BenchFormat.REFS, BenchFormat.REFS_PAGED);
    return List.of(
        new PythonPeer("h5py", "h5py: f[path][...] per dataset, one thread", HDF5, List.of("h5py", "numpy")),
        new PythonPeer("xarray-h5netcdf", "xarray.open_dataset(engine=\"h5netcdf\", group=beam/heights)", HDF5,
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
  public synchronized String cannotRun() {
    if (!checked) {
      checked = true;
      cannotRun = BundledPython.missingModules(BundledPython.python(), modules);
    }
    return cannotRun;
  }

  @Override
  public synchronized CellResult.Measured run(CellContext context) throws Exception {
    List<String> request = new ArrayList<>(List.of(name(),
        "--query", context.query().name(),
        "--files", String.join(",", context.paths().stream().map(p -> p.toAbsolutePath().toString()).toList()),
        // NAME=VALUE: a value starting with '-' (a western longitude) would read as an option
        "--bbox=" + context.parameters().bboxArgument(), "--time=" + context.parameters().timeArgument(),
        "--polygon=" + context.parameters().polygonArgument(),
        "--repetitions", Integer.toString(context.repetitions())));
    if (context.dropCaches()) {
      request.add("--drop-caches");
    }
    JsonNode report = worker().call(request, context.cell().id());
    if (report.has("cannot_read")) {
      throw new CannotRunException(report.get("cannot_read").asText());
    }
    if (report.has("error")) {
      throw new IllegalStateException(SCRIPT + " " + name() + " " + context.cell().id() + ": "
          + report.get("error").asText());
    }
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
  }

  /** This reader's {@code bench_peers.py --serve} process, started on first use (and again after it died). */
  private Worker worker() throws IOException {
    if (worker == null || !worker.process.isAlive()) {
      close();
      worker = new Worker();
    }
    return worker;
  }

  @Override
  public synchronized void close() {
    if (worker != null) {
      worker.close();
      worker = null;
    }
  }

  /**
   * One python process serving every cell of a reader: its interpreter start and imports (1-5 s each for xarray,
   * fiona, geopandas here, paid again after every page-cache drop) happen once per run instead of once per cell;
   * they were never timed.
   */
  private static final class Worker {
    private final Path dir;
    private final Process process;
    private final java.io.BufferedWriter requests;
    private final BufferedReader replies;

    Worker() throws IOException {
      dir = Files.createTempDirectory("atl03-bench-peer");
      Path script = BundledPython.extract(dir, SCRIPT);
      process = new ProcessBuilder(BundledPython.python(), script.toString(), "--serve").redirectErrorStream(true)
          .start();
      requests = new java.io.BufferedWriter(new java.io.OutputStreamWriter(process.getOutputStream(),
          java.nio.charset.StandardCharsets.UTF_8));
      replies = BundledPython.reader(process.getInputStream());
    }

    /** Sends one cell's arguments; returns its JSON line (other output, e.g. library warnings, is kept for errors). */
    JsonNode call(List<String> arguments, String cell) throws IOException {
      ObjectMapper json = new ObjectMapper();
      requests.write(json.writeValueAsString(arguments));
      requests.newLine();
      requests.flush();
      List<String> other = new ArrayList<>();
      for (String line = replies.readLine(); line != null; line = replies.readLine()) {
        if (line.startsWith("{")) {
          return json.readTree(line);
        }
        other.add(line);
      }
      throw new IllegalStateException(SCRIPT + " --serve exited during " + cell + ":\n"
          + String.join("\n", other.subList(Math.max(0, other.size() - 20), other.size())));
    }

    void close() {
      try {
        requests.close(); // end of input: the worker's loop ends
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      Directories.deleteQuietly(dir);
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
