package org.atl03.jobs.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One job run's directory under a results root (RESULTS/NAME/: report.md and its data files) and the run's row in
 * the root's index, RESULTS/README.md. Every job that writes results goes through here, so the layout and the index
 * stay the same for all of them.
 */
public final class RunDirectory {

  /** Every number of the run with its provenance. */
  public static final String JSON = "results.json";
  /** A row per measurement, for spreadsheets. */
  public static final String CSV = "results.csv";
  /** The run's report: the index links to it. */
  public static final String REPORT = "report.md";

  /** The run's row in the index: which job, on what input, and its headline numbers. */
  public record IndexRow(String job, String granule, String summary) {}

  /** The index as a first run finds it missing (a new results root). */
  static final String INDEX_HEADER = """
      # Results

      Measured runs, one directory each: `results.json` (every number with its provenance: git SHA, JVM, Spark,
      machine, granule, options), `results.csv` and `report.md`. Numbers are only what a run measured.

      | run | job | granule | summary |
      | --- | --- | --- | --- |
      """;

  private final Path root;
  private final String name;

  private RunDirectory(Path root, String name) {
    this.root = root;
    this.name = name;
  }

  /** Creates RESULTS/NAME (and RESULTS) when missing; a rerun of the same name writes over the files it writes. */
  public static RunDirectory create(Path resultsRoot, String name) throws IOException {
    Files.createDirectories(resultsRoot.resolve(name));
    return new RunDirectory(resultsRoot, name);
  }

  /** A measured run in one call: RESULTS/NAME/ with results.json, results.csv and report.md, and its index row. */
  public static Path writeRun(Path resultsRoot, String name, Object json, String csv, String report, IndexRow row)
      throws IOException {
    RunDirectory dir = create(resultsRoot, name);
    dir.writeJson(json);
    dir.write(CSV, csv);
    dir.write(REPORT, report);
    dir.index(row);
    return dir.path();
  }

  public Path path() {
    return root.resolve(name);
  }

  /** Writes a UTF-8 text file into the run's directory. */
  public void write(String file, CharSequence text) throws IOException {
    Files.writeString(path().resolve(file), text, StandardCharsets.UTF_8);
  }

  /** Writes {@code value} to results.json, indented, ending in a newline. */
  public void writeJson(Object value) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    write(JSON, json.writeValueAsString(value) + "\n");
  }

  /**
   * Adds the run's row to RESULTS/README.md, or replaces it when the run was indexed before (a rerun on the same
   * day); creates the index, with its header, in a results root that has none.
   */
  public void index(IndexRow row) throws IOException {
    Path readme = root.resolve("README.md");
    List<String> lines = new ArrayList<>(Files.exists(readme)
        ? Files.readAllLines(readme, StandardCharsets.UTF_8)
        : INDEX_HEADER.lines().toList());
    String link = "[" + name + "](" + name + "/" + REPORT + ")";
    lines.removeIf(line -> line.startsWith("| " + link));
    lines.add("| " + link + " | " + row.job() + " | " + row.granule() + " | " + row.summary() + " |");
    Files.write(readme, lines, StandardCharsets.UTF_8);
  }
}
