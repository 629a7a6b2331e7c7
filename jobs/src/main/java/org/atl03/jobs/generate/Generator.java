package org.atl03.jobs.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes synthetic ATL03 granules by running the bundled {@code atl03_generate.py} with Debian's python3 + h5py, so
 * the files come from the HDF5 C library exactly as NASA's do.
 */
public final class Generator {

    /** System property or environment variable naming the python interpreter to use. */
    public static final String PYTHON_OVERRIDE = "ATL03_PYTHON";
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";
    public static final String APT_INSTALL = "apt-get install -y python3-h5py python3-numpy hdf5-tools";

    static final String RESOURCE_DIR = "org/atl03/jobs/python/";
    static final String SCRIPT = "atl03_generate.py";
    static final String TEMPLATE = "atl03_template.json";

    // one line per granule: "<path> photons=N bytes=N seconds=S"
    private static final Pattern GRANULE_LINE = Pattern.compile("^(\\S+\\.h5) photons=(\\d+) bytes=(\\d+) .*$");
    private static final Pattern MISSING_MODULE = Pattern.compile("No module named '([A-Za-z0-9_]+)");
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
        String fromProperty = System.getProperty(PYTHON_OVERRIDE);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        String fromEnv = System.getenv(PYTHON_OVERRIDE);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_PYTHON;
    }

    private static Path extract(Path dir, String name) throws IOException {
        try (InputStream in = Generator.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + RESOURCE_DIR + name
                        + " is missing: the jobs jar was built without src/main/python");
            }
            Path target = dir.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    /** Fails early, naming the Debian package to install, when python3, numpy or h5py is absent. */
    static void checkPython(String python) {
        List<String> output = new ArrayList<>();
        int exit;
        try {
            Process process = new ProcessBuilder(python, "-c", "import numpy, h5py")
                    .redirectErrorStream(true).start();
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
            throw new IllegalStateException(python + " lacks " + what + ". Install with: " + APT_INSTALL
                    + "\n" + text);
        }
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
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
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
