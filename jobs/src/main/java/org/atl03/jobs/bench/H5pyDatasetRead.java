package org.atl03.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atl03.testing.python.BundledPython;

/**
 * h5py reading one dataset of a granule whole, as a user's script does, in a fresh python process per read
 * ({@code bench_fsspec_h5py.py}): a local path is opened by h5py itself, a URL through fsspec's HTTP file system with
 * a block cache (NSIDC's tuning for ATL03 over HTTPS). The script times opening and reading (not the interpreter's
 * start or imports) and prints one JSON line: seconds, photons, sum, versions.
 */
public final class H5pyDatasetRead implements AutoCloseable {

  public static final String SCRIPT = "bench_fsspec_h5py.py";
  /** fsspec's cache for the URL: Debian's fsspec 2022.11 names the block cache 'block' ('blockcache' fails). */
  public static final String CACHE_TYPE = "block";

  private final String python;
  private final Path dir;
  private final Path script;

  public H5pyDatasetRead() throws IOException {
    python = BundledPython.python();
    BundledPython.checkPython(python);
    dir = Files.createTempDirectory("atl03-h5py-read");
    script = BundledPython.extract(dir, SCRIPT);
  }

  /** Reads {@code dataset} of {@code target} (a path or an http(s) URL; {@code blockSize}: fsspec's blocks). */
  public JsonNode read(String target, String dataset, int blockSize) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(python, script.toString(), target, "--dataset", dataset,
        "--block-size", Integer.toString(blockSize), "--cache-type", CACHE_TYPE)
        .redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = BundledPython.reader(process.getInputStream())) {
      reader.lines().forEach(lines::add);
    }
    int exit = process.waitFor();
    if (exit != 0 || lines.isEmpty()) {
      throw new IllegalStateException(SCRIPT + " exited with " + exit + " on " + target + ":\n"
          + String.join("\n", lines) + "\n(fsspec's http file system needs python3-aiohttp: bin/ensure-system-deps)");
    }
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }

  @Override
  public void close() {
    Directories.deleteQuietly(dir);
  }
}
