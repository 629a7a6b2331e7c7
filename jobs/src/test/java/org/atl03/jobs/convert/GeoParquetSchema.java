package org.atl03.jobs.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atl03.testing.python.BundledPython;

/**
 * Validates GeoParquet {@code geo} metadata outside our own code: JSON Schema validation of the GeoParquet 1.1.0
 * requirements ({@code geoparquet/geoparquet-1.1.0.schema.json}) by Debian's python3-jsonschema, the cross-field
 * rules a schema cannot state, and every object {@code crs} parsed and identified by PROJ ({@code projinfo}).
 */
final class GeoParquetSchema {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String VALIDATE = String.join("\n",
      "import json, sys",
      "from jsonschema import Draft202012Validator",
      "schema = json.load(open(sys.argv[1]))",
      "Draft202012Validator.check_schema(schema)",
      "errors = Draft202012Validator(schema).iter_errors(json.load(sys.stdin))",
      "for e in sorted(errors, key=lambda e: list(e.absolute_path)):",
      "    print('/'.join(str(p) for p in e.absolute_path) + ': ' + e.message)");

  private GeoParquetSchema() {}

  /** Every violation of the GeoParquet 1.1.0 rules by {@code geo}, empty when it is valid. */
  static List<String> violations(String geo) throws IOException, InterruptedException {
    Path schema = Files.createTempFile("geoparquet-1.1.0", ".schema.json");
    try {
      try (InputStream in = GeoParquetSchema.class.getResourceAsStream("/geoparquet/geoparquet-1.1.0.schema.json")) {
        Files.write(schema, in.readAllBytes());
      }
      List<String> violations = new ArrayList<>(run(List.of(BundledPython.python(), "-c", VALIDATE,
          schema.toString()), geo));
      JsonNode root = JSON.readTree(geo);
      String primary = root.path("primary_column").asText();
      if (root.path("columns").isObject() && !root.path("columns").has(primary)) {
        violations.add("primary_column: '" + primary + "' is not one of the columns");
      }
      root.path("columns").fields().forEachRemaining(column -> {
        JsonNode crs = column.getValue().path("crs");
        if (crs.isObject() && identifyCrs(crs.toString()).isEmpty()) {
          violations.add("columns/" + column.getKey() + "/crs: PROJ does not identify it as a known CRS");
        }
      });
      return violations;
    } finally {
      Files.deleteIfExists(schema);
    }
  }

  /** The authority codes PROJ identifies {@code projjson} as with 100 % confidence (e.g. OGC:CRS84). */
  static List<String> identifyCrs(String projjson) {
    try {
      List<String> codes = new ArrayList<>();
      for (String line : run(List.of("projinfo", "--identify", "-q", "-o", "PROJJSON", projjson), "")) {
        if (line.endsWith(": 100 %")) {
          codes.add(line.substring(0, line.length() - ": 100 %".length()));
        }
      }
      return codes;
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static List<String> run(List<String> command, String stdin) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command.subList(0, Math.min(2, command.size()))) + " failed ("
          + p.exitValue() + "): " + out);
    }
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
