package org.atl03.datasource.atl03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.atl03.datasource.atl03.GranuleFile;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.DatasetReader;
import org.atl03.datasource.hdf5.MultiDatasetReader;
import org.atl03.datasource.hdf5.ReadOptions;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.kerchunk.References;
import org.atl03.datasource.kerchunk.RefsParser;
import org.atl03.datasource.kerchunk.ZarrArrays;

/**
 * A granule described by kerchunk references: metadata from the JSON (one read), chunk bytes from the single data
 * file the references name. No HDF5 metadata is ever read.
 *
 * <p>The data URL: {@code dataLocation} when given; an absolute URL as written; a relative one beside the references
 * file, else under {@code dataDir}. It must lie under an allowed prefix (see {@link RefsOptions}), so references
 * cannot make a reader fetch arbitrary files. Thread-safe.
 */
public final class RefsGranuleFile implements GranuleFile {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  private final References refs;
  private final String location;
  private final String rawUrl; // the URL as the references write it; null when every chunk is inline
  private final String dataLocation;
  private final Storage storage;
  private final ReadMetrics metrics;
  private final Map<String, DatasetInfo> infos = new ConcurrentHashMap<>();
  private final Map<String, ChunkIndex> indexes = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> attributes = new ConcurrentHashMap<>();
  private InputFile data; // opened on first need

  private RefsGranuleFile(References refs, String rawUrl, String dataLocation, Storage storage, ReadMetrics metrics) {
    this.refs = refs;
    this.location = refs.location();
    this.rawUrl = rawUrl;
    this.dataLocation = dataLocation;
    this.storage = storage;
    this.metrics = metrics;
  }

  /** Reads the references at {@code location} (one request, counted by {@code metrics}) and resolves the data URL. */
  public static RefsGranuleFile open(String location, Storage storage, ReadMetrics metrics, RefsOptions options)
      throws IOException {
    References refs;
    try (InputFile in = metrics.meter(storage.open(location))) {
      if (in.length() > Integer.MAX_VALUE - 16) {
        throw new IOException(in.location() + ": references of " + in.length() + " bytes are too large");
      }
      refs = RefsParser.parse(in.readFully(0, (int) in.length()), in.location());
    }
    List<String> urls = new ArrayList<>(refs.urls());
    if (urls.size() > 1) {
      throw new UnsupportedOperationException(refs.location() + ": the references name " + urls.size()
          + " data files (" + String.join(", ", urls.subList(0, Math.min(3, urls.size())))
          + (urls.size() > 3 ? ", …" : "") + "); a granule's references must name one");
    }
    String rawUrl = urls.isEmpty() ? null : urls.get(0);
    String data = resolve(refs.location(), rawUrl, options, storage);
    checkAllowed(refs.location(), rawUrl, data, options, storage);
    return new RefsGranuleFile(refs, rawUrl, data, storage, metrics);
  }

  private static String resolve(String refs, String url, RefsOptions options, Storage storage) throws IOException {
    if (options.dataLocation() != null) {
      return storage.qualify(options.dataLocation());
    }
    if (url == null) {
      return refs; // every chunk inline: no data file is read
    }
    if (SCHEME.matcher(url).matches()) {
      return storage.qualify(url);
    }
    String beside = storage.resolve(storage.parent(refs), url);
    if (url.startsWith("/") || options.dataDir() == null || storage.exists(beside)) {
      return beside;
    }
    String inDataDir = storage.resolve(options.dataDir(), url);
    if (!storage.exists(inDataDir)) {
      throw new FileNotFoundException(refs + ": data file " + url + " is neither beside the references (" + beside
          + ") nor in dataDir (" + inDataDir + ")");
    }
    return inDataDir;
  }

  private static void checkAllowed(String refs, String url, String data, RefsOptions options, Storage storage)
      throws IOException {
    List<String> allowed = new ArrayList<>();
    if (options.allowedPrefixes().isEmpty()) {
      allowed.add(storage.qualify(storage.parent(refs)));
      if (options.dataDir() != null) {
        allowed.add(storage.qualify(options.dataDir()));
      }
      if (options.dataLocation() != null) {
        allowed.add(storage.qualify(options.dataLocation()));
      }
    } else {
      for (String prefix : options.allowedPrefixes()) {
        String q = storage.qualify(prefix);
        allowed.add(prefix.endsWith("/") && !q.endsWith("/") ? q + "/" : q);
      }
    }
    for (String prefix : allowed) {
      if (data.equals(prefix) || data.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
        return;
      }
    }
    throw new SecurityException(refs + ": references URL " + url + " (" + data + ") is outside the allowed "
        + "locations " + allowed + "; set " + HadoopSettings.REFS_ALLOWED_PREFIXES + " to allow it");
  }

  public References references() {
    return refs;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public String dataLocation() {
    return dataLocation;
  }

  @Override
  public boolean hasDataset(String path) {
    return refs.get(key(path, ".zarray")) != null;
  }

  @Override
  public DatasetInfo dataset(String path) {
    String p = strip(path);
    return infos.computeIfAbsent(p, k -> {
      String zarray = refs.text(key(k, ".zarray"));
      if (zarray == null) {
        throw new java.util.NoSuchElementException(location + ": dataset " + k + " not found");
      }
      return ZarrArrays.datasetInfo(location, k, zarray);
    });
  }

  @Override
  public ChunkIndex chunkIndex(String path) {
    String p = strip(path);
    return indexes.computeIfAbsent(p, k -> buildIndex(dataset(k)));
  }

  private ChunkIndex buildIndex(DatasetInfo info) {
    long[] shape = info.shape();
    int[] chunkShape = info.chunkShape();
    List<ChunkDescriptor> chunks = new ArrayList<>();
    for (String key : refs.chunkKeys(info.path())) {
      String[] parts = key.substring(key.lastIndexOf('/') + 1).split("\\.");
      if (parts.length != Math.max(1, shape.length)) {
        throw new IllegalArgumentException(info.describe() + ": chunk key " + key + " does not match rank "
            + shape.length);
      }
      long[] offset = new long[shape.length];
      boolean outside = false;
      for (int i = 0; i < shape.length; i++) {
        long position;
        try {
          position = Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(info.describe() + ": chunk key " + key + " is not a chunk position");
        }
        // a position past the shape is ignored below; compare before multiplying, which could overflow
        outside |= position >= (shape[i] + chunkShape[i] - 1) / chunkShape[i];
        offset[i] = outside ? 0 : position * chunkShape[i];
      }
      if (outside) {
        continue; // Zarr ignores chunks beyond the shape
      }
      long firstRow = shape.length == 0 ? 0 : offset[0];
      long rows = shape.length == 0 ? 1 : Math.min(chunkShape[0], shape[0] - firstRow);
      References.Ref ref = refs.get(key);
      if (ref instanceof References.Inline inline) {
        chunks.add(ChunkDescriptor.inline(offset, inline.data(), firstRow, rows));
      } else {
        References.Range range = (References.Range) ref;
        long length = range.wholeFile() ? dataLength() : range.length();
        if (length > Integer.MAX_VALUE - 16) {
          throw new IllegalArgumentException(info.describe() + ": chunk " + key + " of " + length
              + " bytes is larger than any chunk can be");
        }
        chunks.add(new ChunkDescriptor(offset, range.offset(), Math.toIntExact(length), 0, firstRow, rows));
      }
    }
    return ChunkIndex.of(info, chunks);
  }

  private long dataLength() {
    try {
      return openData().length();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private synchronized InputFile openData() throws IOException {
    if (data == null) {
      data = metrics.meter(storage.open(dataLocation));
    }
    return data;
  }

  @Override
  public Object attribute(String objectPath, String name) {
    String p = strip(objectPath);
    JsonNode attrs = attributes.computeIfAbsent(p, k -> {
      String text = refs.text(key(k, ".zattrs"));
      try {
        return text == null ? JSON.createObjectNode() : JSON.readTree(text);
      } catch (IOException e) {
        throw new IllegalArgumentException(location + ": " + key(k, ".zattrs") + " is not JSON: " + e.getMessage());
      }
    });
    return attrs.has(name) ? value(attrs.get(name)) : null;
  }

  private static Object value(JsonNode node) {
    if (node.isArray()) {
      Object[] values = new Object[node.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = value(node.get(i));
      }
      return values;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.isNull() ? null : node.asText();
  }

  @Override
  public double[] readAsDoubles(String path) throws IOException {
    DatasetInfo info = dataset(path);
    try (DatasetReader reader = DatasetReader.chunked(info, chunkIndex(path), openData(), ReadOptions.DEFAULT)) {
      return reader.readAsDoubles(0, reader.rows());
    }
  }

  @Override
  public List<double[]> readRowsAsDoubles(List<String> paths, long start, long end) throws IOException {
    List<ChunkIndex> indexes = new ArrayList<>();
    for (String path : paths) {
      indexes.add(chunkIndex(path));
    }
    try (MultiDatasetReader reader = new MultiDatasetReader(openData(), ReadOptions.DEFAULT, indexes)) {
      return reader.readAsDoubles(start, end);
    }
  }

  private static String strip(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  private static String key(String path, String leaf) {
    String p = strip(path);
    return p.isEmpty() ? leaf : p + "/" + leaf;
  }

  @Override
  public synchronized void close() throws IOException {
    if (data != null) {
      data.close();
    }
  }

  @Override
  public String toString() {
    return "RefsGranuleFile[" + location + " → " + dataLocation + (rawUrl == null ? "" : " (" + rawUrl + ")") + "]";
  }

}
