package org.atl03.jobs.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a benchmark run measures: queries × readers × formats × storage × repetitions, on which granules. Read from a
 * JSON file in conf/ (JSON because Jackson is already on the classpath and the results are JSON too); unknown keys
 * and names are errors naming the file, so a typo never silently shrinks the matrix.
 */
record BenchConfig(String label, String description, int granuleCount, long photonsPerStrongBeam, long seed,
    String master, int repetitions, Map<String, Integer> readerRepetitions, boolean dropCaches, List<BenchQuery> queries, List<String> readers,
    List<BenchFormat> formats, List<String> storage, List<BenchQuery> remoteStorageQueries, double bboxFraction, double timeFraction, Scaling scaling) {

  /** Q6: one query's throughput over granule counts × Spark masters, for some readers × formats. */
  record Scaling(BenchQuery query, List<Integer> granuleCounts, List<String> masters, List<String> readers,
      List<BenchFormat> formats) {}

  private static final Set<String> KEYS = Set.of("label", "description", "granules", "master", "repetitions",
      "reader_repetitions", "drop_caches", "queries", "readers", "formats", "storage", "remote_storage_queries",
      "bbox_fraction", "time_fraction", "scaling");

  static BenchConfig read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("benchmark config " + file + " does not exist");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    try {
      return parse(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static BenchConfig parse(JsonNode root) {
    unknownKeys(root, KEYS, "");
    JsonNode granules = required(root, "granules");
    unknownKeys(granules, Set.of("count", "photons_per_strong_beam", "seed"), "granules.");
    JsonNode s = required(root, "scaling");
    unknownKeys(s, Set.of("query", "granule_counts", "masters", "readers", "formats"), "scaling.");
    List<Integer> counts = new ArrayList<>();
    required(s, "granule_counts").forEach(n -> counts.add(n.asInt()));
    BenchConfig config = new BenchConfig(
        required(root, "label").asText(),
        root.path("description").asText(""),
        required(granules, "count").asInt(),
        required(granules, "photons_per_strong_beam").asLong(),
        granules.path("seed").asLong(1),
        root.path("master").asText("local[2]"),
        required(root, "repetitions").asInt(),
        readerRepetitions(root.path("reader_repetitions")),
        root.path("drop_caches").asBoolean(false),
        strings(required(root, "queries")).stream().map(BenchQuery::named).toList(),
        strings(required(root, "readers")),
        strings(required(root, "formats")).stream().map(BenchFormat::named).toList(),
        strings(required(root, "storage")),
        root.has("remote_storage_queries")
            ? strings(root.get("remote_storage_queries")).stream().map(BenchQuery::named).toList()
            : strings(required(root, "queries")).stream().map(BenchQuery::named).toList(),
        root.path("bbox_fraction").asDouble(0.01),
        root.path("time_fraction").asDouble(0.01),
        new Scaling(BenchQuery.named(s.path("query").asText("Q2")), List.copyOf(counts),
            strings(required(s, "masters")), strings(required(s, "readers")),
            strings(required(s, "formats")).stream().map(BenchFormat::named).toList()));
    config.validate();
    return config;
  }

  void validate() {
    if (!label.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("label '" + label + "' must be a plain name (letters, digits, . _ -)");
    }
    if (granuleCount < 1 || photonsPerStrongBeam < 1) {
      throw new IllegalArgumentException("granules.count and granules.photons_per_strong_beam must be >= 1");
    }
    if (repetitions < 1) {
      throw new IllegalArgumentException("repetitions must be >= 1");
    }
    if (!(bboxFraction > 0 && bboxFraction < 1) || !(timeFraction > 0 && timeFraction < 1)) {
      throw new IllegalArgumentException("bbox_fraction and time_fraction must be in (0, 1)");
    }
    for (String name : storage) {
      BenchStorage.validate(name);
    }
    if (scaling.query() == BenchQuery.Q6) {
      throw new IllegalArgumentException("scaling.query must be one of Q1..Q5");
    }
    if (scaling.granuleCounts().isEmpty() || scaling.granuleCounts().stream().anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException("scaling.granule_counts must list counts >= 1");
    }
  }

  /** This config with the command line's overrides (null: keep). */
  BenchConfig with(String newLabel, Integer newRepetitions, List<String> newQueries, List<String> newReaders,
      List<String> newFormats, String newMaster, Boolean newDropCaches) {
    BenchConfig c = new BenchConfig(newLabel != null ? newLabel : label, description, granuleCount,
        photonsPerStrongBeam, seed, newMaster != null ? newMaster : master,
        newRepetitions != null ? newRepetitions : repetitions,
        newRepetitions != null ? Map.of() : readerRepetitions, newDropCaches != null ? newDropCaches : dropCaches,
        newQueries != null ? newQueries.stream().map(BenchQuery::named).toList() : queries,
        newReaders != null ? List.copyOf(newReaders) : readers,
        newFormats != null ? newFormats.stream().map(BenchFormat::named).toList() : formats,
        storage, remoteStorageQueries, bboxFraction, timeFraction, scaling);
    c.validate();
    return c;
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("label", label);
    json.put("description", description);
    json.put("granules", Map.of("count", granuleCount, "photons_per_strong_beam", photonsPerStrongBeam, "seed", seed));
    json.put("master", master);
    json.put("repetitions", repetitions);
    json.put("reader_repetitions", readerRepetitions);
    json.put("drop_caches", dropCaches);
    json.put("queries", queries.stream().map(Enum::name).toList());
    json.put("readers", readers);
    json.put("formats", formats.stream().map(BenchFormat::key).toList());
    json.put("storage", storage);
    json.put("remote_storage_queries", remoteStorageQueries.stream().map(Enum::name).toList());
    json.put("bbox_fraction", bboxFraction);
    json.put("time_fraction", timeFraction);
    Map<String, Object> sc = new LinkedHashMap<>();
    sc.put("query", scaling.query().name());
    sc.put("granule_counts", scaling.granuleCounts());
    sc.put("masters", scaling.masters());
    sc.put("readers", scaling.readers());
    sc.put("formats", scaling.formats().stream().map(BenchFormat::key).toList());
    json.put("scaling", sc);
    return json;
  }

  /** Repetitions of a reader's cells: its own count when the config gives one (slow peers), else the run's. */
  int repetitionsOf(String reader) {
    return readerRepetitions.getOrDefault(reader, repetitions);
  }

  private static Map<String, Integer> readerRepetitions(JsonNode node) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    node.fields().forEachRemaining(e -> {
      if (e.getValue().asInt() < 1) {
        throw new IllegalArgumentException("reader_repetitions." + e.getKey() + " must be >= 1");
      }
      out.put(e.getKey(), e.getValue().asInt());
    });
    return Map.copyOf(out);
  }

  private static JsonNode required(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing key '" + key + "'");
    }
    return value;
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String prefix) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown key '" + prefix + name + "'; known: " + known);
      }
    }
  }

  private static List<String> strings(JsonNode array) {
    if (!array.isArray()) {
      throw new IllegalArgumentException("expected a list, got " + array);
    }
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }
}
