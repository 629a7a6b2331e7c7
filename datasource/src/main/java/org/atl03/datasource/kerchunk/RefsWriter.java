package org.atl03.datasource.kerchunk;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.InputFile;

/**
 * Writes kerchunk references (spec version 1) of an HDF5 file from the chunk index we read anyway: Zarr v2
 * metadata as kerchunk's SingleHdf5ToZarr writes it ({@code .zgroup}, {@code .zattrs} with
 * {@code _ARRAY_DIMENSIONS}, {@code .zarray} with the pipeline as codecs) and {@code [url, offset, size]} per
 * stored chunk, the URL as template {@code u}. Chunks smaller than the inline threshold are inlined as
 * {@code base64:}; unwritten chunks get no key (Zarr reads the fill value). What Zarr cannot express is refused,
 * never approximated: filters other than deflate/shuffle, and chunks whose filter mask skipped a filter.
 * Non-numeric datasets (strings, compounds) are left out and counted.
 */
public final class RefsWriter {

  /** Attributes kerchunk leaves out (HDF5 dimension-scale plumbing, netCDF internals, the fill value). */
  static final Set<String> HIDDEN_ATTRIBUTES = Set.of("REFERENCE_LIST", "CLASS", "DIMENSION_LIST", "NAME",
      "_FillValue", "_Netcdf4Dimid", "_Netcdf4Coordinates", "_nc3_strict", "_NCProperties");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RefsWriter.class);

  /**
   * @param inlineThreshold chunks of fewer stored bytes are inlined (0: none)
   * @param relativeUrls    write the data URL relative to the references file (a bare name when beside it)
   * @param datasets        which datasets (paths without leading slash) to describe
   */
  public record Options(int inlineThreshold, boolean relativeUrls, Predicate<String> datasets) {
    public static final Options DEFAULT = new Options(0, false, p -> true);

    public Options withInlineThreshold(int n) {
      return new Options(n, relativeUrls, datasets);
    }

    public Options withRelativeUrls(boolean relative) {
      return new Options(inlineThreshold, relative, datasets);
    }

    public Options withDatasets(Predicate<String> which) {
      return new Options(inlineThreshold, relativeUrls, which);
    }
  }

  /** What was written. */
  public record Summary(int arrays, long chunkRefs, long inlined, List<String> skipped) {}

  private final Hdf5File file;
  private final InputFile data;
  private final String url;
  private final Options options;
  private final Map<Long, String> datasetByAddress = new HashMap<>();
  private int arrays;
  private long chunkRefs;
  private long inlined;
  private final List<String> skipped = new ArrayList<>();

  private RefsWriter(Hdf5File file, InputFile data, String url, Options options) {
    this.file = file;
    this.data = data;
    this.url = url;
    this.options = options;
  }

  /**
   * Writes references of the open file {@code h5} to {@code refsFile} on any Hadoop FileSystem, atomically: written
   * under a hidden temporary name beside it, then renamed. (Open granules with {@code Granules.openHdf5}: one way to
   * open them, with the same read options everywhere.)
   */
  public static Summary convert(Hdf5File h5, String refsFile, Configuration conf, Options options)
      throws IOException {
    Path out = new Path(refsFile);
    FileSystem fs = out.getFileSystem(conf);
    Path qualifiedOut = fs.makeQualified(out);
    Path tmp = new Path(qualifiedOut.getParent(), "." + out.getName() + ".tmp");
    Summary summary;
    try {
      String dataUrl = options.relativeUrls()
          ? relative(qualifiedOut.getParent(), new Path(h5.location()))
          : dataUrl(h5.location());
      try (OutputStream os = fs.create(tmp, true)) {
        summary = write(h5, h5.data(), dataUrl, os, options);
      }
    } catch (IOException | RuntimeException e) {
      fs.delete(tmp, false);
      throw e;
    }
    if (fs.exists(qualifiedOut)) {
      fs.delete(qualifiedOut, false);
    }
    if (!fs.rename(tmp, qualifiedOut)) {
      throw new IOException("cannot rename " + tmp + " to " + qualifiedOut);
    }
    return summary;
  }

  /**
   * The data URL as fsspec reads it: Hadoop names local files {@code file:/path}, which fsspec 2022.11 (Debian 12)
   * takes for a relative path, so zarr silently reads fill values; {@code file:///path} is read by every fsspec
   * and by Hadoop alike. Other URLs are written as given.
   */
  static String dataUrl(String location) {
    // Hadoop's Path strings are not URI-encoded (spaces stay spaces), so this is text, not java.net.URI
    if (location.startsWith("file:/") && !location.startsWith("file://")) {
      return "file://" + location.substring("file:".length());
    }
    return location;
  }

  /** A relative URL of {@code target} from directory {@code dir}: a bare name beside it, else ../ steps. */
  static String relative(Path dir, Path target) {
    java.net.URI d = dir.toUri();
    java.net.URI t = target.toUri();
    if (!java.util.Objects.equals(d.getScheme(), t.getScheme())
        || !java.util.Objects.equals(d.getAuthority(), t.getAuthority())) {
      return target.toString();
    }
    return java.nio.file.Path.of(d.getPath()).relativize(java.nio.file.Path.of(t.getPath())).toString();
  }

  /**
   * Writes references of {@code file} (opened on {@code data}, which inlined chunks are read from) to {@code out}.
   *
   * @param url the data URL the references name
   */
  public static Summary write(Hdf5File file, InputFile data, String url, OutputStream out, Options options)
      throws IOException {
    return new RefsWriter(file, data, url, options).write(out);
  }

  private Summary write(OutputStream out) throws IOException {
    index(file.hdf(), "");
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("version", 1);
      g.writeObjectFieldStart("templates");
      g.writeStringField("u", url);
      g.writeEndObject();
      g.writeObjectFieldStart("refs");
      group(g, file.hdf(), "");
      g.writeEndObject();
      g.writeEndObject();
    }
    return new Summary(arrays, chunkRefs, inlined, List.copyOf(skipped));
  }

  /** Dataset addresses → paths, to name dimension scales in {@code _ARRAY_DIMENSIONS}. */
  private void index(Group group, String prefix) {
    for (Map.Entry<String, Node> e : new TreeMap<>(group.getChildren()).entrySet()) {
      String path = prefix + e.getKey();
      if (e.getValue() instanceof Group child) {
        index(child, path + "/");
      } else if (e.getValue() instanceof Dataset ds) {
        datasetByAddress.put(ds.getAddress(), path);
      }
    }
  }

  private void group(JsonGenerator g, Group group, String prefix) throws IOException {
    g.writeStringField(prefix + ".zgroup", "{\"zarr_format\":2}");
    Map<String, Object> attrs = attributes(group);
    if (!attrs.isEmpty()) {
      g.writeStringField(prefix + ".zattrs", JSON.writeValueAsString(attrs));
    }
    for (Map.Entry<String, Node> e : new TreeMap<>(group.getChildren()).entrySet()) {
      String path = prefix + e.getKey();
      if (e.getValue() instanceof Group child) {
        group(g, child, path + "/");
      } else if (e.getValue() instanceof Dataset && options.datasets().test(path)) {
        dataset(g, path);
      }
    }
  }

  private void dataset(JsonGenerator g, String path) throws IOException {
    DatasetInfo info = file.dataset(path);
    if (!info.type().isNumeric()) {
      skipped.add(path);
      return;
    }
    Dataset ds = (Dataset) file.node(path);
    int[] chunks = switch (info.storage()) {
      case CHUNKED -> info.chunkShape();
      case CONTIGUOUS, COMPACT -> java.util.Arrays.stream(info.shape()).mapToInt(Math::toIntExact).toArray();
      case VIRTUAL -> throw new UnsupportedOperationException(info.describe() + ": virtual datasets have no refs");
    };
    g.writeStringField(path + "/.zarray", ZarrArrays.zarray(info, chunks));
    Map<String, Object> attrs = attributes(ds);
    attrs.put("_ARRAY_DIMENSIONS", dimensions(ds, path, info.rank()));
    g.writeStringField(path + "/.zattrs", JSON.writeValueAsString(new TreeMap<>(attrs)));
    arrays++;
    switch (info.storage()) {
      case CHUNKED -> {
        ChunkIndex index = file.chunkIndex(path);
        for (ChunkDescriptor c : index.chunks()) {
          if (c.filterMask() != 0) {
            throw new UnsupportedOperationException(info.describe() + ": chunk " + java.util.Arrays.toString(
                c.offset()) + " skipped filters (mask " + Integer.toBinaryString(c.filterMask()) + "), which Zarr "
                + "cannot express: refusing to write references that would decode it wrongly");
          }
          ref(g, path + "/" + key(c.offset(), chunks), c.fileOffset(), c.storedSize());
        }
      }
      case CONTIGUOUS -> {
        long address = ((ContiguousDataset) ds).getDataAddress();
        long size = info.elementCount() * info.type().size();
        if (address != io.jhdf.Constants.UNDEFINED_ADDRESS && size > 0) {
          ref(g, path + "/" + key(new long[info.rank()], chunks), address + file.userBlockSize(), size);
        }
      }
      default -> { // compact: the bytes live in the object header, so they are inlined
        ByteBuffer raw = ((io.jhdf.dataset.DatasetBase) ds).getDataBuffer().duplicate();
        raw.rewind();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        g.writeStringField(path + "/" + key(new long[info.rank()], chunks),
            "base64:" + Base64.getEncoder().encodeToString(bytes));
        inlined++;
      }
    }
  }

  private void ref(JsonGenerator g, String key, long offset, long size) throws IOException {
    chunkRefs++;
    if (size < options.inlineThreshold()) {
      byte[] bytes = data.readFully(offset, Math.toIntExact(size));
      g.writeStringField(key, "base64:" + Base64.getEncoder().encodeToString(bytes));
      inlined++;
      return;
    }
    g.writeArrayFieldStart(key);
    g.writeString("{{u}}");
    g.writeNumber(offset);
    g.writeNumber(size);
    g.writeEndArray();
  }

  /** Zarr's chunk key: chunk positions joined by dots; "0" for a scalar. */
  static String key(long[] offset, int[] chunks) {
    if (offset.length == 0) {
      return "0";
    }
    StringBuilder k = new StringBuilder();
    for (int i = 0; i < offset.length; i++) {
      k.append(i == 0 ? "" : ".").append(chunks[i] == 0 ? 0 : offset[i] / chunks[i]);
    }
    return k.toString();
  }

  /**
   * xarray's dimension names, as kerchunk derives them: a dimension scale names itself; an attached scale names
   * an axis by its path; other axes are {@code phony_dim_<axis>}.
   */
  private List<String> dimensions(Dataset ds, String path, int rank) {
    List<String> names = new ArrayList<>();
    boolean isScale = "DIMENSION_SCALE".equals(stringAttribute(ds, "CLASS"));
    Object list = null;
    try {
      Attribute a = ds.getAttribute("DIMENSION_LIST");
      list = a == null ? null : a.getData();
    } catch (RuntimeException e) {
      list = null; // unreadable references: fall back to phony names
    }
    for (int axis = 0; axis < rank; axis++) {
      String name = null;
      if (isScale && axis == 0) {
        name = path;
      } else if (list != null && list.getClass().isArray() && Array.getLength(list) > axis) {
        Object scales = Array.get(list, axis);
        if (scales != null && scales.getClass().isArray() && Array.getLength(scales) > 0
            && Array.get(scales, 0) instanceof Number address) {
          name = datasetByAddress.get(address.longValue());
        }
      }
      names.add(name != null ? name : "phony_dim_" + axis);
    }
    return names;
  }

  private static String stringAttribute(Node node, String name) {
    try {
      Attribute a = node.getAttribute(name);
      return a == null || !(a.getData() instanceof String s) ? null : s;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The node's attributes as JSON values, sorted, without the hidden ones; unreadable attributes are left out. */
  private static Map<String, Object> attributes(Node node) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Attribute> all;
    try {
      all = new TreeMap<>(node.getAttributes());
    } catch (RuntimeException e) {
      // jhdf 0.13 fails on some dense (fractal-heap) attribute stores, e.g. the root of NASA's subset with its
      // 47 KB "Processing Parameters": the object keeps its data, its .zattrs is left out
      LOG.warn("attributes of {} left out of the references: {}", node.getPath(), e.toString());
      return out;
    }
    for (Map.Entry<String, Attribute> e : all.entrySet()) {
      if (HIDDEN_ATTRIBUTES.contains(e.getKey())) {
        continue;
      }
      try {
        Object value = json(e.getValue().getData());
        if (value != null) {
          out.put(e.getKey(), value);
        }
      } catch (RuntimeException ignored) {
        // an attribute jhdf cannot decode (references, compounds) is not worth failing the conversion for
      }
    }
    return out;
  }

  private static Object json(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return (n instanceof Double || n instanceof Float) && (Double.isNaN(d) || Double.isInfinite(d))
          ? (Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
          : n;
    }
    if (value.getClass().isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        list.add(json(Array.get(value, i)));
      }
      return list;
    }
    return null; // compounds, references …
  }
}
