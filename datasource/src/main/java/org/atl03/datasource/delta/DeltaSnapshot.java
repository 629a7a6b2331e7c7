package org.atl03.datasource.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.io.StoredFile;

/**
 * The data files of a Delta table at its latest version, with their statistics, read from the transaction log
 * without Spark: the newest complete classic checkpoint (single or multi-part Parquet) and the JSON commits after it,
 * replayed in order (an add keeps a file, a remove drops it). Tables using what this reader does not implement
 * (reader features such as deletion vectors or column mapping, V2 checkpoints, partition columns) are refused with
 * {@link UnsupportedTableException}, for the caller to read them through Delta itself.
 */
public final class DeltaSnapshot {

  /** A data file of the table: where it is, its size, and Delta's statistics of it (null when none were kept). */
  public record DataFile(String location, long size, long modificationTime, Stats stats) {}

  /** Reader features that change nothing for a reader of the table's data files. */
  private static final Set<String> HARMLESS_READER_FEATURES = Set.of("timestampNtz", "vacuumProtocolCheck",
      "typeWidening-preview", "typeWidening");

  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
  private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");
  private static final Pattern CHECKPOINT_PART =
      Pattern.compile("(\\d{20})\\.checkpoint\\.(\\d{10})\\.(\\d{10})\\.parquet");
  private static final Pattern V2_CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint\\.[^.]+\\.(json|parquet)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHECKPOINT_TAIL_BYTES = 1 << 20;
  /** The table property saying how many characters of a string Delta's statistics keep, and its default. */
  private static final String STRING_PREFIX_PROPERTY = "delta.dataSkippingStringPrefixLength";
  private static final int DEFAULT_STRING_PREFIX = 32;

  private final String table;
  private final long version;
  private final List<DataFile> files;
  private final long requests;
  private final long bytesRead;

  private DeltaSnapshot(String table, long version, List<DataFile> files, long requests, long bytesRead) {
    this.table = table;
    this.version = version;
    this.files = files;
    this.requests = requests;
    this.bytesRead = bytesRead;
  }

  public String table() {
    return table;
  }

  public long version() {
    return version;
  }

  /** The table's data files, in the order the log named them. */
  public List<DataFile> files() {
    return files;
  }

  /** The bytes of the table's data files. */
  public long bytes() {
    return files.stream().mapToLong(DataFile::size).sum();
  }

  /** Requests reading the log took (its listing included), and the bytes fetched. */
  public long requests() {
    return requests;
  }

  public long bytesRead() {
    return bytesRead;
  }

  /** Reads the table at {@code table} (a directory with a {@code _delta_log}) as of its latest version. */
  public static DeltaSnapshot read(Storage storage, String table) throws IOException {
    String log = storage.resolve(table, "_delta_log");
    List<StoredFile> listed = storage.list(List.of(log), List.of(".json", ".parquet"));
    long requests = 1;
    TreeMap<Long, StoredFile> commits = new TreeMap<>();
    TreeMap<Long, Map<Integer, StoredFile>> checkpointParts = new TreeMap<>();
    Map<Long, Integer> partCounts = new LinkedHashMap<>();
    for (StoredFile f : listed) {
      String name = name(f.location());
      Matcher m;
      if ((m = COMMIT.matcher(name)).matches()) {
        commits.put(Long.parseLong(m.group(1)), f);
      } else if ((m = CHECKPOINT.matcher(name)).matches()) {
        long v = Long.parseLong(m.group(1));
        checkpointParts.computeIfAbsent(v, k -> new TreeMap<>()).put(1, f);
        partCounts.put(v, 1);
      } else if ((m = CHECKPOINT_PART.matcher(name)).matches()) {
        long v = Long.parseLong(m.group(1));
        checkpointParts.computeIfAbsent(v, k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), f);
        partCounts.put(v, Integer.parseInt(m.group(3)));
      } else if (V2_CHECKPOINT.matcher(name).matches()) {
        throw new UnsupportedTableException(table + " has a V2 checkpoint (" + name + ")");
      }
    }
    if (commits.isEmpty() && checkpointParts.isEmpty()) {
      throw new IOException(table + " is not a Delta table: its _delta_log has no commits");
    }
    long checkpoint = -1;
    for (Map.Entry<Long, Map<Integer, StoredFile>> e : checkpointParts.descendingMap().entrySet()) {
      if (e.getValue().size() == partCounts.get(e.getKey())) {
        checkpoint = e.getKey();
        break;
      }
    }
    long latest = Math.max(checkpoint, commits.isEmpty() ? -1 : commits.lastKey());
    Replay replay = new Replay(storage, table);
    if (checkpoint >= 0) {
      for (StoredFile part : checkpointParts.get(checkpoint).values()) {
        replay.checkpoint(storage, part);
      }
    }
    for (long v = checkpoint + 1; v <= latest; v++) {
      StoredFile commit = commits.get(v);
      if (commit == null) {
        throw new IOException(table + ": the Delta log misses commit " + v + " (of " + latest + ")");
      }
      replay.commit(storage, commit);
    }
    return new DeltaSnapshot(table, latest, replay.files(), requests + replay.requests, replay.bytes);
  }

  private static Map<String, String> configuration(TableRow metadata) {
    Map<String, String> configuration = new LinkedHashMap<>();
    for (TableRow entry : metadata.rows("configuration")) {
      configuration.put(entry.string("key"), entry.isNull("value") ? null : entry.string("value"));
    }
    return configuration;
  }

  private static String name(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** The table's state as the log's actions build it. */
  private static final class Replay {
    private final Storage storage;
    private final String table;
    /** Each live file's add action: location, size, modification time and statistics as JSON. */
    private final Map<String, Object[]> files = new LinkedHashMap<>();
    private long requests;
    private long bytes;
    private boolean sawProtocol;
    private boolean sawMetadata;
    private int stringPrefix = DEFAULT_STRING_PREFIX;

    Replay(Storage storage, String table) {
      this.storage = storage;
      this.table = table;
    }

    void checkpoint(Storage storage, StoredFile part) throws IOException {
      try (InputFile in = storage.open(part);
          ParquetDataFile parquet = ParquetDataFile.open(in, CHECKPOINT_TAIL_BYTES)) {
        for (int g = 0; g < parquet.rowGroups(); g++) {
          for (TableRow action : parquet.read(g, List.of("add", "protocol", "metaData"))) {
            if (!action.isNull("protocol")) {
              TableRow p = action.row("protocol");
              protocol(p.intValue("minReaderVersion"),
                  p.isNull("readerFeatures") ? List.of() : p.values("readerFeatures"));
            }
            if (!action.isNull("metaData")) {
              TableRow m = action.row("metaData");
              metadata(m.isNull("partitionColumns") ? List.of() : m.values("partitionColumns"),
                  m.isNull("configuration") ? Map.of() : configuration(m));
            }
            if (!action.isNull("add")) {
              TableRow a = action.row("add");
              if (a.has("deletionVector") && !a.isNull("deletionVector")) {
                throw new UnsupportedTableException(table + " has deletion vectors");
              }
              add(a.string("path"), a.longValue("size"), a.longValue("modificationTime"),
                  a.has("stats") && !a.isNull("stats") ? a.string("stats") : null);
            }
          }
        }
        requests += parquet.requests();
        bytes += parquet.bytesRead();
      }
    }

    void commit(Storage storage, StoredFile commit) throws IOException {
      String text;
      try (InputFile in = storage.open(commit)) {
        text = new String(in.readFully(0, Math.toIntExact(in.length())), StandardCharsets.UTF_8);
        requests++;
        bytes += in.length();
      }
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode action = JSON.readTree(line);
        if (action.has("protocol")) {
          JsonNode p = action.get("protocol");
          List<Object> features = new ArrayList<>();
          p.path("readerFeatures").forEach(f -> features.add(f.asText()));
          protocol(p.path("minReaderVersion").asInt(), features);
        } else if (action.has("metaData")) {
          List<Object> partitions = new ArrayList<>();
          JsonNode m = action.get("metaData");
          m.path("partitionColumns").forEach(c -> partitions.add(c.asText()));
          Map<String, String> configuration = new LinkedHashMap<>();
          m.path("configuration").fields().forEachRemaining(e -> configuration.put(e.getKey(), e.getValue().asText()));
          metadata(partitions, configuration);
        } else if (action.has("add")) {
          JsonNode a = action.get("add");
          if (a.hasNonNull("deletionVector")) {
            throw new UnsupportedTableException(table + " has deletion vectors");
          }
          add(a.get("path").asText(), a.get("size").asLong(), a.path("modificationTime").asLong(),
              a.hasNonNull("stats") ? a.get("stats").asText() : null);
        } else if (action.has("remove")) {
          files.remove(location(action.get("remove").get("path").asText()));
        }
      }
    }

    private void protocol(int minReaderVersion, List<Object> readerFeatures) throws UnsupportedTableException {
      sawProtocol = true;
      if (minReaderVersion == 2 || minReaderVersion > 3) {
        throw new UnsupportedTableException(table + " needs Delta reader version " + minReaderVersion);
      }
      for (Object f : readerFeatures) { // deletion vectors and column mapping among those refused
        if (!HARMLESS_READER_FEATURES.contains(String.valueOf(f))) {
          throw new UnsupportedTableException(table + " uses the Delta reader feature " + f);
        }
      }
    }

    private void metadata(List<Object> partitionColumns, Map<String, String> configuration)
        throws UnsupportedTableException {
      sawMetadata = true;
      String prefix = configuration.get(STRING_PREFIX_PROPERTY);
      stringPrefix = prefix == null ? DEFAULT_STRING_PREFIX : Integer.parseInt(prefix.trim());
      if (!partitionColumns.isEmpty()) {
        throw new UnsupportedTableException(table + " is partitioned by " + partitionColumns);
      }
    }

    private void add(String path, long size, long modificationTime, String stats) throws IOException {
      String location = location(path);
      files.put(location, new Object[] {location, size, modificationTime, stats});
    }

    /** A log path (a URI, relative to the table unless absolute) as a location on the table's store. */
    private String location(String path) throws IOException {
      try {
        URI uri = new URI(path);
        return uri.isAbsolute() ? uri.toString() : storage.resolve(table, uri.getPath());
      } catch (URISyntaxException e) {
        throw new IOException(table + ": the Delta log names a file badly: " + path, e);
      }
    }

    /** The live files, their statistics read with the table's last metadata. */
    List<DataFile> files() throws IOException {
      if (!sawProtocol || !sawMetadata) {
        throw new IOException(table + ": the Delta log has no " + (sawProtocol ? "metadata" : "protocol"));
      }
      List<DataFile> out = new ArrayList<>(files.size());
      for (Object[] f : files.values()) {
        out.add(new DataFile((String) f[0], (Long) f[1], (Long) f[2],
            f[3] == null ? null : Stats.parse((String) f[3], stringPrefix)));
      }
      return out;
    }
  }

  /** Delta's statistics of a data file ({@code add.stats}): row count, min/max and null counts per column. */
  public static final class Stats implements ColumnStatistics {
    private final long rows;
    private final JsonNode min;
    private final JsonNode max;
    private final JsonNode nulls;
    private final int stringPrefix;

    private Stats(long rows, JsonNode min, JsonNode max, JsonNode nulls, int stringPrefix) {
      this.rows = rows;
      this.min = min;
      this.max = max;
      this.nulls = nulls;
      this.stringPrefix = stringPrefix;
    }

    static Stats parse(String json, int stringPrefix) throws IOException {
      JsonNode s = JSON.readTree(json);
      return new Stats(s.path("numRecords").asLong(-1), s.path("minValues"), s.path("maxValues"),
          s.path("nullCount"), stringPrefix);
    }

    @Override
    public Stat of(String column) {
      JsonNode n = nulls.path(column);
      long nullCount = n.isIntegralNumber() ? n.asLong() : -1;
      return new Stat(value(min.path(column)), value(max.path(column)), nullCount, rows, stringPrefix);
    }

    /** A statistic as {@link TableRow#value} gives values (strings, numbers), null if absent or not comparable. */
    private static Object value(JsonNode v) {
      if (v.isTextual()) {
        return v.asText();
      }
      if (v.isInt()) {
        return v.asInt();
      }
      if (v.isIntegralNumber()) {
        return v.asLong();
      }
      if (v.isFloatingPointNumber()) {
        return v.asDouble();
      }
      return null;
    }
  }
}
