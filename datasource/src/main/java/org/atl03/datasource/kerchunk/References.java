package org.atl03.datasource.kerchunk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed kerchunk reference set (spec version 0 or 1, templates and {@code gen} already expanded): for every
 * Zarr key either the bytes themselves or where they are, {@code [url, offset, length]} or a whole file.
 */
public final class References {

  private static final Pattern CHUNK_KEY = Pattern.compile("\\d+(\\.\\d+)*");

  /** One reference: inline bytes, or a byte range of a file. */
  public sealed interface Ref permits Inline, Range {}

  /** Bytes stored in the references themselves ({@code "base64:..."} or a raw string). */
  public record Inline(byte[] data) implements Ref {}

  /** {@code [url, offset, length]}; {@code [url]} (the whole file) has offset 0 and length -1. */
  public record Range(String url, long offset, long length) implements Ref {
    public boolean wholeFile() {
      return length < 0;
    }
  }

  private final String location;
  private final int version;
  private final Map<String, Ref> refs;
  private volatile Map<String, List<String>> chunkKeys; // array path -> its chunk keys, built on first use

  References(String location, int version, Map<String, Ref> refs) {
    this.location = location;
    this.version = version;
    this.refs = Collections.unmodifiableMap(new LinkedHashMap<>(refs));
  }

  /** The references file, for messages. */
  public String location() {
    return location;
  }

  /** The spec version the file declared: 1, or 0 for a plain key → reference dict. */
  public int version() {
    return version;
  }

  public Map<String, Ref> refs() {
    return refs;
  }

  public Ref get(String key) {
    return refs.get(key);
  }

  /** A metadata document ({@code .zarray}, {@code .zattrs} …) as text, or null when absent. */
  public String text(String key) {
    Ref ref = refs.get(key);
    if (ref == null) {
      return null;
    }
    if (ref instanceof Inline inline) {
      return new String(inline.data(), StandardCharsets.UTF_8);
    }
    throw new UnsupportedOperationException(location + ": metadata key " + key
        + " is a reference to another file; only inline metadata is supported");
  }

  /** Paths of the Zarr arrays (keys ending in {@code /.zarray}; the root array is ""). */
  public List<String> arrays() {
    List<String> arrays = new ArrayList<>();
    for (String key : refs.keySet()) {
      if (key.equals(".zarray")) {
        arrays.add("");
      } else if (key.endsWith("/.zarray")) {
        arrays.add(key.substring(0, key.length() - "/.zarray".length()));
      }
    }
    return arrays;
  }

  /** The chunk keys of an array (e.g. {@code gt1l/heights/h_ph/0}), in file order. */
  public List<String> chunkKeys(String array) {
    Map<String, List<String>> index = chunkKeys;
    if (index == null) {
      index = new LinkedHashMap<>();
      for (String key : refs.keySet()) {
        int slash = key.lastIndexOf('/');
        if (CHUNK_KEY.matcher(key.substring(slash + 1)).matches()) {
          index.computeIfAbsent(slash < 0 ? "" : key.substring(0, slash), k -> new ArrayList<>()).add(key);
        }
      }
      chunkKeys = index;
    }
    return index.getOrDefault(array, List.of());
  }

  /** Every distinct URL that a range reference names, in first-use order. */
  public Set<String> urls() {
    Set<String> urls = new LinkedHashSet<>();
    for (Ref ref : refs.values()) {
      if (ref instanceof Range range) {
        urls.add(range.url());
      }
    }
    return urls;
  }

  @Override
  public String toString() {
    return "References[" + location + ", v" + version + ", " + refs.size() + " keys]";
  }
}
