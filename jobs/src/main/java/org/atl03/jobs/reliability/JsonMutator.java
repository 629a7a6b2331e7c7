package org.atl03.jobs.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutations of kerchunk references: a fifth are byte-level (truncations, bit flips, byte runs), the rest
 * structure-aware: a {@code .zarray}'s shape, chunks, dtype, codecs or fill value, a chunk reference's offset,
 * length or URL, inline base64, the version, deleted keys, and {@code gen} entries that would expand to absurd
 * counts. Absurd numbers: -1, 0, 2^31, 2^63 - 1, 1e30, fractions.
 */
final class JsonMutator implements MutatedFileTarget.Mutator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<JsonNode> ABSURD = List.of(F.numberNode(-1), F.numberNode(0), F.numberNode(1),
      F.numberNode(2147483647L), F.numberNode(2147483648L), F.numberNode(4294967296L),
      F.numberNode(9007199254740993L), F.numberNode(Long.MAX_VALUE), F.numberNode(Long.MIN_VALUE),
      F.numberNode(new BigInteger("100000000000000000000000")), F.numberNode(1e30), F.numberNode(3.5),
      F.textNode("12"), F.nullNode(), F.arrayNode());

  private final byte[] original;
  private final ObjectNode root;
  private final ByteMutator bytes;

  JsonMutator(byte[] original) {
    this.original = original;
    try {
      this.root = (ObjectNode) JSON.readTree(original);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.bytes = new ByteMutator(original, List.of(), false);
  }

  @Override
  public Mutation next(Random rnd) {
    if (rnd.nextInt(5) == 0) {
      return bytes.next(rnd);
    }
    ObjectNode copy = root.deepCopy();
    ObjectNode refs = copy.has("refs") && copy.get("refs").isObject() ? (ObjectNode) copy.get("refs") : copy;
    List<String> keys = new ArrayList<>();
    refs.fieldNames().forEachRemaining(keys::add);
    List<String> zarrays = keys.stream().filter(k -> k.endsWith(".zarray")).toList();
    List<String> chunks = keys.stream().filter(k -> refs.get(k).isArray()).toList();
    List<String> inline = keys.stream().filter(k -> refs.get(k).isTextual()
        && refs.get(k).asText().startsWith("base64:")).toList();
    String description;
    int pick = rnd.nextInt(100);
    if (pick < 35 && !zarrays.isEmpty()) {
      String key = zarrays.get(rnd.nextInt(zarrays.size()));
      description = key + ": " + mutateZarray(refs, key, rnd);
    } else if (pick < 65 && !chunks.isEmpty()) {
      String key = chunks.get(rnd.nextInt(chunks.size()));
      ArrayNode ref = (ArrayNode) refs.get(key);
      int field = ref.size() == 3 ? rnd.nextInt(4) : 0;
      if (field == 0) {
        String url = List.of("", "/etc/passwd", "../../../../etc/passwd", "s3://elsewhere/x.h5", "http://x/{{u}}",
            "{{missing}}", ref.get(0).asText() + "x").get(rnd.nextInt(7));
        ref.set(0, F.textNode(url));
        description = key + ": url " + url;
      } else {
        JsonNode value = ABSURD.get(rnd.nextInt(ABSURD.size()));
        int at = field == 3 ? 1 + rnd.nextInt(2) : field;
        ref.set(at, value);
        description = key + ": " + (at == 1 ? "offset " : "length ") + value;
      }
    } else if (pick < 75 && !inline.isEmpty()) {
      String key = inline.get(rnd.nextInt(inline.size()));
      String text = refs.get(key).asText();
      StringBuilder s = new StringBuilder(text);
      int at = "base64:".length() + rnd.nextInt(Math.max(1, text.length() - "base64:".length()));
      if (at < s.length()) {
        s.setCharAt(at, "!A=/\u00e9".charAt(rnd.nextInt(5)));
      }
      refs.set(key, new TextNode(s.toString()));
      description = key + ": base64 char at " + at;
    } else if (pick < 85 && !keys.isEmpty()) {
      String key = keys.get(rnd.nextInt(keys.size()));
      refs.remove(key);
      description = "delete " + key;
    } else if (pick < 92) {
      ObjectNode gen = F.objectNode();
      String array = zarrays.isEmpty() ? "x" : zarrays.get(0).replace("/.zarray", "").replace(".zarray", "");
      gen.put("key", array + "/{{i}}").put("url", "data.h5").put("offset", "{{i * 8}}").put("length", "8");
      long stop = List.of(1L << 40, 1L << 24, 20_000_000L, -5L).get(rnd.nextInt(4));
      gen.putObject("dimensions").putObject("i").put("start", 0).put("stop", stop);
      copy.put("version", 1);
      if (!copy.has("refs")) {
        ObjectNode wrapped = F.objectNode();
        wrapped.put("version", 1);
        wrapped.set("refs", refs.deepCopy());
        copy = wrapped;
      }
      copy.putArray("gen").add(gen);
      description = "gen entry with stop " + stop;
    } else {
      JsonNode value = ABSURD.get(rnd.nextInt(ABSURD.size()));
      copy.set("version", value);
      description = "version " + value;
    }
    try {
      byte[] out = JSON.writeValueAsBytes(copy);
      return new Mutation("json", 0, 0, false, description, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes one field of a .zarray stored as an inline JSON string or object. */
  private static String mutateZarray(ObjectNode refs, String key, Random rnd) {
    JsonNode node = refs.get(key);
    ObjectNode z;
    try {
      z = node.isObject() ? (ObjectNode) node : (ObjectNode) JSON.readTree(node.asText());
    } catch (IOException | ClassCastException e) {
      return "unparsable .zarray left as is";
    }
    String description;
    int pick = rnd.nextInt(6);
    if (pick <= 1) {
      String field = pick == 0 ? "shape" : "chunks";
      JsonNode dims = z.get(field);
      if (dims instanceof ArrayNode a && a.size() > 0 && rnd.nextBoolean()) {
        int i = rnd.nextInt(a.size());
        JsonNode value = ABSURD.get(rnd.nextInt(ABSURD.size()));
        a.set(i, value);
        description = field + "[" + i + "] = " + value;
      } else {
        ArrayNode a = F.arrayNode();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.add(ABSURD.get(rnd.nextInt(ABSURD.size())));
        }
        z.set(field, a);
        description = field + " = " + a;
      }
    } else if (pick == 2) {
      String dtype = List.of("<f16", "<i3", "|O", "<f4", ">i8", "<u999999999999", "<M8[ns]", "").get(rnd.nextInt(8));
      z.put("dtype", dtype);
      description = "dtype " + dtype;
    } else if (pick == 3) {
      ObjectNode codec = F.objectNode().put("id", List.of("zlib", "blosc", "shuffle", "gzip").get(rnd.nextInt(4)));
      codec.set(rnd.nextBoolean() ? "level" : "elementsize", ABSURD.get(rnd.nextInt(ABSURD.size())));
      if (rnd.nextBoolean()) {
        z.set("compressor", codec);
      } else {
        z.putArray("filters").add(codec);
      }
      description = "codec " + codec;
    } else if (pick == 4) {
      JsonNode value = rnd.nextBoolean() ? ABSURD.get(rnd.nextInt(ABSURD.size())) : F.textNode("NaN");
      z.set("fill_value", value);
      description = "fill_value " + value;
    } else {
      Iterator<Map.Entry<String, JsonNode>> fields = z.fields();
      List<String> names = new ArrayList<>();
      fields.forEachRemaining(e -> names.add(e.getKey()));
      String name = names.isEmpty() ? "zarr_format" : names.get(rnd.nextInt(names.size()));
      z.remove(name);
      description = "remove " + name;
    }
    refs.set(key, node.isObject() ? z : F.textNode(z.toString()));
    return description;
  }

  byte[] original() {
    return original.clone();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
