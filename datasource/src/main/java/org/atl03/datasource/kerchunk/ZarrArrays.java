package org.atl03.datasource.kerchunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.ElementType;
import org.atl03.datasource.hdf5.FilterSpec;

/**
 * Zarr v2 array metadata ({@code .zarray}) to and from the HDF5 layer's {@link DatasetInfo}. Zarr encodes a chunk
 * by its {@code filters} in order, then its {@code compressor}: the same order as an HDF5 filter pipeline, so
 * {@code [shuffle, zlib]} is HDF5's shuffle + deflate and a pipeline with two deflates is {@code [zlib, zlib]}.
 */
public final class ZarrArrays {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DTYPE = Pattern.compile("([<>|])([iuf])(\\d+)");

  private ZarrArrays() {}

  /** The dataset a {@code .zarray} describes; unsupported dtypes, orders and codecs fail naming file and array. */
  public static DatasetInfo datasetInfo(String location, String array, String zarray) {
    String where = location + ": array " + array;
    try {
      return parse(where, location, array, zarray);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(where + ": .zarray states numbers out of range: " + e.getMessage(), e);
    }
  }

  private static DatasetInfo parse(String where, String location, String array, String zarray) {
    JsonNode z;
    try {
      z = JSON.readTree(zarray);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": .zarray is not JSON: " + e.getMessage(), e);
    }
    if (z.path("zarr_format").asInt() != 2) {
      throw new UnsupportedOperationException(where + ": zarr_format " + z.get("zarr_format") + ", only 2 is read");
    }
    if (!z.path("order").asText("C").equals("C")) {
      throw new UnsupportedOperationException(where + ": order " + z.get("order") + ", only C order is read");
    }
    ElementType type = elementType(z.path("dtype").asText(), where);
    long[] shape = dimensions(z.path("shape"), "shape", where);
    long[] chunks = dimensions(z.path("chunks"), "chunks", where);
    int[] chunkShape = new int[chunks.length];
    for (int i = 0; i < chunks.length; i++) {
      chunkShape[i] = Math.toIntExact(chunks[i]);
    }
    if (chunkShape.length != shape.length) {
      throw new IllegalArgumentException(where + ": chunks " + z.get("chunks") + " do not match shape "
          + z.get("shape"));
    }
    List<FilterSpec> filters = new ArrayList<>();
    if (z.path("filters").isArray()) {
      for (JsonNode codec : z.get("filters")) {
        filters.add(filter(codec, type, where));
      }
    }
    if (z.hasNonNull("compressor")) {
      filters.add(filter(z.get("compressor"), type, where));
    }
    return DatasetInfo.chunked(location, array, type, shape, chunkShape, filters,
        fillValue(z.get("fill_value"), type, where));
  }

  /** numpy dtype strings of the numeric types the readers decode: {@code <f8}, {@code |i1}, {@code >u2} … */
  static ElementType elementType(String dtype, String where) {
    Matcher m = DTYPE.matcher(dtype);
    if (!m.matches()) {
      throw new UnsupportedOperationException(where + ": dtype " + dtype + " is not supported (only numeric "
          + "little/big-endian integers and 4/8-byte floats are)");
    }
    int size = Integer.parseInt(m.group(3));
    boolean isFloat = m.group(2).equals("f");
    if (isFloat ? size != 4 && size != 8 : size != 1 && size != 2 && size != 4 && size != 8) {
      throw new UnsupportedOperationException(where + ": dtype " + dtype + " is not supported");
    }
    return new ElementType(isFloat ? ElementType.DataClass.FLOAT : ElementType.DataClass.INTEGER, size,
        m.group(1).equals(">"), !m.group(2).equals("u"));
  }

  private static FilterSpec filter(JsonNode codec, ElementType type, String where) {
    String id = codec.path("id").asText();
    return switch (id) {
      case "zlib" -> new FilterSpec(FilterSpec.DEFLATE, "deflate", new int[] {codec.path("level").asInt(1)});
      case "shuffle" -> new FilterSpec(FilterSpec.SHUFFLE, "shuffle",
          new int[] {shuffleElementSize(codec, type, where)});
      // numcodecs' gzip frames each chunk with a gzip header, which HDF5's deflate never writes: decoding it as
      // deflate would only fail later, so it is refused here
      default -> throw new UnsupportedOperationException(where + ": codec " + codec
          + " is not supported (only zlib and shuffle, HDF5's deflate and shuffle)");
    };
  }

  /** numcodecs' Shuffle element size: the dtype's size when absent, else a whole number of bytes up to 255. */
  private static int shuffleElementSize(JsonNode codec, ElementType type, String where) {
    JsonNode size = codec.get("elementsize");
    if (size == null || size.isNull()) {
      return type.size();
    }
    if (!size.canConvertToInt() || !size.isIntegralNumber() || size.asInt() < 1 || size.asInt() > 255) {
      throw new IllegalArgumentException(where + ": shuffle elementsize " + size + " is not a whole number of bytes"
          + " from 1 to 255");
    }
    return size.asInt();
  }

  private static byte[] fillValue(JsonNode fill, ElementType type, String where) {
    ByteBuffer b = ByteBuffer.allocate(type.size()).order(type.order());
    if (fill == null || fill.isNull()) {
      return b.array(); // no fill value: HDF5's default, zero bytes
    }
    if (type.dataClass() == ElementType.DataClass.FLOAT) {
      double v = switch (fill.asText()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> {
          if (!fill.isNumber()) {
            throw new IllegalArgumentException(where + ": fill_value " + fill + " is not a number");
          }
          yield fill.asDouble();
        }
      };
      if (type.size() == 4) {
        b.putFloat((float) v);
      } else {
        b.putDouble(v);
      }
      return b.array();
    }
    if (!fill.isIntegralNumber()) {
      throw new IllegalArgumentException(where + ": fill_value " + fill + " is not an integer");
    }
    long v = fill.bigIntegerValue().longValue(); // unsigned 64-bit values keep their bit pattern
    switch (type.size()) {
      case 1 -> b.put((byte) v);
      case 2 -> b.putShort((short) v);
      case 4 -> b.putInt((int) v);
      default -> b.putLong(v);
    }
    return b.array();
  }

  /** The {@code .zarray} document of a dataset, as kerchunk's SingleHdf5ToZarr writes it (keys sorted). */
  public static String zarray(DatasetInfo info, int[] chunks) {
    ObjectNode z = JsonNodeFactory.instance.objectNode();
    ArrayNode c = z.putArray("chunks");
    for (int n : chunks) {
      c.add(n);
    }
    z.putNull("compressor");
    z.put("dtype", info.type().numpyName());
    putFill(z, info);
    ArrayNode filters = z.putArray("filters");
    for (FilterSpec f : info.filters()) {
      ObjectNode codec = filters.addObject();
      switch (f.id()) {
        case FilterSpec.DEFLATE -> codec.put("id", "zlib").put("level", Math.max(0, f.deflateLevel()));
        case FilterSpec.SHUFFLE -> codec.put("elementsize",
            f.clientData().length > 0 && f.clientData()[0] > 0 ? f.clientData()[0] : info.type().size())
            .put("id", "shuffle");
        default -> throw new UnsupportedOperationException(info.describe() + ": filter " + f
            + " has no Zarr codec here (only deflate and shuffle): cannot write references to its chunks");
      }
    }
    if (info.filters().isEmpty()) {
      z.putNull("filters");
    }
    z.put("order", "C");
    ArrayNode s = z.putArray("shape");
    for (long n : info.shape()) {
      s.add(n);
    }
    z.put("zarr_format", 2);
    try {
      return JSON.writeValueAsString(z);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void putFill(ObjectNode z, DatasetInfo info) {
    ElementType type = info.type();
    ByteBuffer b = ByteBuffer.wrap(info.fillValueBytes()).order(type.order());
    if (type.dataClass() == ElementType.DataClass.FLOAT) {
      double v = type.size() == 4 ? b.getFloat(0) : b.getDouble(0);
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        z.put("fill_value", Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity"); // Zarr v2's spelling
      } else {
        z.put("fill_value", v);
      }
      return;
    }
    long v = switch (type.size()) {
      case 1 -> type.signed() ? b.get(0) : Byte.toUnsignedLong(b.get(0));
      case 2 -> type.signed() ? b.getShort(0) : Short.toUnsignedLong(b.getShort(0));
      case 4 -> type.signed() ? b.getInt(0) : Integer.toUnsignedLong(b.getInt(0));
      default -> b.getLong(0);
    };
    if (type.size() == 8 && !type.signed() && v < 0) {
      z.put("fill_value", new java.math.BigInteger(Long.toUnsignedString(v)));
    } else {
      z.put("fill_value", v);
    }
  }

  /** A shape or chunk shape: an array of non-negative integers that fit 64 bits, nothing else. */
  private static long[] dimensions(JsonNode array, String field, String where) {
    if (!array.isArray()) {
      throw new IllegalArgumentException(where + ": .zarray " + field + " " + array + " is not an array");
    }
    for (JsonNode n : array) {
      if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
        throw new IllegalArgumentException(where + ": .zarray " + field + " " + array
            + " is not a list of non-negative 64-bit integers");
      }
    }
    return longs(array);
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
