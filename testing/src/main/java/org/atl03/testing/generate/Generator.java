package org.atl03.testing.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.atl03.testing.python.BundledPython;

/**
 * Writes synthetic ATL03 granules by running the bundled {@code atl03_generate.py} with Debian's python3 + h5py, so
 * the files come from the HDF5 C library exactly as NASA's do.
 */
public final class Generator {

    /** System property or environment variable naming the python interpreter to use. */
    public static final String PYTHON_OVERRIDE = BundledPython.PYTHON_OVERRIDE;
    public static final String DEFAULT_PYTHON = BundledPython.DEFAULT_PYTHON;
    public static final String APT_INSTALL = BundledPython.APT_INSTALL;

    static final String RESOURCE_DIR = BundledPython.RESOURCE_DIR;
    static final String SCRIPT = "atl03_generate.py";
    static final String TEMPLATE = "atl03_template.json";

    // one line per granule: "<path> photons=N bytes=N seconds=S"
    private static final Pattern GRANULE_LINE = Pattern.compile("^(\\S+\\.h5) photons=(\\d+) bytes=(\\d+) .*$");
    private static final int ERROR_TAIL_LINES = 30;

    private Generator() {
    }

    public static List<Path> generate(GeneratorOptions options) {
        String python = python();
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("atl03-generate");
            Path script = extract(workDir, SCRIPT);
            extract(workDir, TEMPLATE);
            checkPython(python);
            Files.createDirectories(options.out());
            return run(List.of(python, script.toString(),
                    "--out", options.out().toAbsolutePath().toString(),
                    "--granules", Integer.toString(options.granules()),
                    "--photons-per-strong-beam", Long.toString(options.photonsPerStrongBeam()),
                    "--seed", Long.toString(options.seed()),
                    "--layout", options.layout().flag()));
        } catch (IOException e) {
            throw new UncheckedIOException("ATL03 generator failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(workDir);
        }
    }

    static String python() {
        return BundledPython.python();
    }

    private static Path extract(Path dir, String name) throws IOException {
        return BundledPython.extract(dir, name);
    }

    static void checkPython(String python) {
        BundledPython.checkPython(python);
    }

    private static List<Path> run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<Path> written = new ArrayList<>();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = reader(process.getInputStream())) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println(line);
                Matcher granule = GRANULE_LINE.matcher(line);
                if (granule.matches()) {
                    written.add(Path.of(granule.group(1)));
                }
                tail.addLast(line);
                if (tail.size() > ERROR_TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating granules", e);
        }
        if (exit != 0) {
            throw new IllegalStateException("atl03_generate.py exited with " + exit + ":\n" + String.join("\n", tail));
        }
        return List.copyOf(written);
    }

    private static BufferedReader reader(InputStream in) {
        return BundledPython.reader(in);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
