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
    String master, int repetitions, Map<String, Integer> readerRepetitions, boolean dropCaches,
    List<BenchQuery> queries, List<String> readers, List<BenchFormat> formats, List<String> storage,
    List<BenchQuery> remoteStorageQueries, double bboxFraction, double timeFraction, Scaling scaling,
    Crossover crossover) {

  /** Q6: one query's throughput over granule counts × Spark masters, for some readers × formats. */
  record Scaling(BenchQuery query, List<Integer> granuleCounts, List<String> masters, List<String> readers,
      List<BenchFormat> formats) {}

  /**
   * Where Spark pays off ({@link CrossoverRun}): one beam's mean h_ph on single synthetic granules of growing size,
   * our source against the single-process readers, on each storage; a reader is not run on larger granules once its
   * median exceeds {@code capSeconds}. Optional: absent, the run has no crossover.
   */
  record Crossover(List<Long> photonsPerStrongBeam, List<String> readers, List<String> storage, int warmups,
      int repetitions, double capSeconds) {

    static final Set<String> READERS = Set.of(CrossoverRun.OURS, "h5py", "jhdf");

    void validate() {
      if (photonsPerStrongBeam.isEmpty() || photonsPerStrongBeam.stream().anyMatch(n -> n < 1)) {
        throw new IllegalArgumentException("crossover.photons_per_strong_beam must list sizes >= 1");
      }
      if (!readers.contains(CrossoverRun.OURS) || !READERS.containsAll(readers)) {
        throw new IllegalArgumentException("crossover.readers must include " + CrossoverRun.OURS + " and name only "
            + READERS);
      }
      for (String s : storage) {
        if (!s.equals("local") && !s.matches("http(@\\d+ms)?")) {
          throw new IllegalArgumentException("crossover.storage " + s + ": local or http[@<N>ms] (h5py reads remote "
              + "files through fsspec's HTTP file system)");
        }
      }
      if (warmups < 0 || repetitions < 1 || !(capSeconds > 0)) {
        throw new IllegalArgumentException("crossover: warmups >= 0, repetitions >= 1 and cap_seconds > 0");
      }
    }
  }

  private static final Set<String> KEYS = Set.of("label", "description", "granules", "master", "repetitions",
      "reader_repetitions", "drop_caches", "queries", "readers", "formats", "storage", "remote_storage_queries",
      "bbox_fraction", "time_fraction", "scaling", "crossover");

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
            strings(required(s, "formats")).stream().map(BenchFormat::named).toList()),
        crossover(root.get("crossover")));
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
    if (crossover != null) {
      crossover.validate();
    }
  }

  private static Crossover crossover(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    unknownKeys(node, Set.of("photons_per_strong_beam", "readers", "storage", "warmups", "repetitions",
        "cap_seconds"), "crossover.");
    List<Long> sizes = new ArrayList<>();
    required(node, "photons_per_strong_beam").forEach(n -> sizes.add(n.asLong()));
    return new Crossover(List.copyOf(sizes), strings(required(node, "readers")), strings(required(node, "storage")),
        node.path("warmups").asInt(1), node.path("repetitions").asInt(3), node.path("cap_seconds").asDouble(15));
  }

  /** This config with the command line's overrides (null: keep). */
  BenchConfig with(String newLabel, Integer newRepetitions, List<String> newQueries, List<String> newReaders,
      List<String> newFormats, String newMaster, Boolean newDropCaches, boolean withCrossover) {
    BenchConfig c = new BenchConfig(newLabel != null ? newLabel : label, description, granuleCount,
        photonsPerStrongBeam, seed, newMaster != null ? newMaster : master,
        newRepetitions != null ? newRepetitions : repetitions,
        newRepetitions != null ? Map.of() : readerRepetitions, newDropCaches != null ? newDropCaches : dropCaches,
        newQueries != null ? newQueries.stream().map(BenchQuery::named).toList() : queries,
        newReaders != null ? List.copyOf(newReaders) : readers,
        newFormats != null ? newFormats.stream().map(BenchFormat::named).toList() : formats,
        storage, remoteStorageQueries, bboxFraction, timeFraction, scaling, withCrossover ? crossover : null);
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
    if (crossover != null) {
      Map<String, Object> cx = new LinkedHashMap<>();
      cx.put("photons_per_strong_beam", crossover.photonsPerStrongBeam());
      cx.put("readers", crossover.readers());
      cx.put("storage", crossover.storage());
      cx.put("warmups", crossover.warmups());
      cx.put("repetitions", crossover.repetitions());
      cx.put("cap_seconds", crossover.capSeconds());
      json.put("crossover", cx);
    }
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
