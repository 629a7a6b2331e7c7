package org.atl03.datasource.kerchunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses kerchunk references: spec version 1 ({@code {"version": 1, "templates": …, "gen": […], "refs": {…}}}) and
 * version 0 (the plain key → reference dict). Values: {@code "base64:…"} or raw strings (inline data), JSON objects
 * (inline metadata), {@code [url]} (a whole file) and {@code [url, offset, length]}. URLs and {@code gen} fields
 * are rendered with {@code {{name}}} templates and integer arithmetic ({@code {{i * 1000 + 8}}}): the subset of
 * Jinja that reference generators write.
 */
public final class RefsParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)}}");

  /**
   * A bound on the references {@code gen} entries may expand to: a few bytes of JSON can state billions, and each
   * costs memory. Ten million is over a hundred times what one ATL03 granule's references hold.
   */
  static final int MAX_GENERATED = 10_000_000;

  /** Bound on nested parentheses in a template expression (each level is a stack frame). */
  private static final int MAX_EXPRESSION_DEPTH = 64;

  private RefsParser() {}

  private static long number(String text, String key, String location) throws IOException {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IOException(location + ": gen key " + key + ": offset or length " + abbreviate(text)
          + " is not an integer", e);
    }
  }

  public static References parse(byte[] json, String location) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IOException(location + ": not JSON kerchunk references: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(location + ": not kerchunk references: the top level is not a JSON object");
    }
    if (!root.has("version")) {
      return new References(location, 0, refs(root, Map.of(), location));
    }
    if (root.get("version").asInt(-1) != 1 || !root.path("refs").isObject()) {
      throw new IOException(location + ": unsupported kerchunk references version " + root.get("version")
          + " (versions 0 and 1 are supported, and version 1 needs a \"refs\" object)");
    }
    Map<String, String> templates = new HashMap<>();
    root.path("templates").fields().forEachRemaining(e -> templates.put(e.getKey(), e.getValue().asText()));
    Map<String, References.Ref> refs = new LinkedHashMap<>();
    for (JsonNode gen : root.path("gen")) {
      generate(gen, templates, location, refs);
    }
    refs.putAll(refs(root.get("refs"), templates, location));
    return new References(location, 1, refs);
  }

  private static Map<String, References.Ref> refs(JsonNode node, Map<String, String> templates, String location)
      throws IOException {
    Map<String, References.Ref> refs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      refs.put(e.getKey(), ref(e.getKey(), e.getValue(), templates, location));
    }
    return refs;
  }

  private static References.Ref ref(String key, JsonNode value, Map<String, String> templates, String location)
      throws IOException {
    if (value.isTextual()) {
      String s = value.asText();
      if (!s.startsWith("base64:")) {
        return new References.Inline(s.getBytes(StandardCharsets.UTF_8));
      }
      try {
        return new References.Inline(Base64.getDecoder().decode(s.substring("base64:".length())));
      } catch (IllegalArgumentException e) {
        throw new IOException(location + ": key " + key + ": invalid base64 inline data: " + e.getMessage(), e);
      }
    }
    if (value.isObject()) { // some writers store .zarray / .zattrs as JSON objects
      return new References.Inline(JSON.writeValueAsBytes(value));
    }
    if (value.isArray() && (value.size() == 1 || value.size() == 3) && value.get(0).isTextual()) {
      String url = render(value.get(0).asText(), templates, Map.of(), location);
      if (value.size() == 1) {
        return new References.Range(url, 0, -1);
      }
      if (value.get(1).canConvertToLong() && value.get(2).canConvertToLong()
          && value.get(1).asLong() >= 0 && value.get(2).asLong() >= 0) {
        return new References.Range(url, value.get(1).asLong(), value.get(2).asLong());
      }
    }
    throw new IOException(location + ": key " + key + ": unsupported reference " + abbreviate(value.toString())
        + " (expected inline data, [url] or [url, offset, length] with a URL)");
  }

  /** Expands one {@code gen} entry: key, url, offset and length rendered for every combination of dimensions. */
  private static void generate(JsonNode gen, Map<String, String> templates, String location,
                               Map<String, References.Ref> out) throws IOException {
    List<String> names = new ArrayList<>();
    List<List<Object>> values = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = gen.path("dimensions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> d = it.next();
      List<Object> range = new ArrayList<>();
      if (d.getValue().isArray()) {
        d.getValue().forEach(v -> range.add(v.isNumber() ? (Object) v.asLong() : v.asText()));
      } else {
        long start = d.getValue().path("start").asLong(0);
        long stop = d.getValue().path("stop").asLong();
        long step = d.getValue().path("step").asLong(1);
        if (step <= 0) {
          throw new IOException(location + ": gen dimension " + d.getKey() + " has step " + step);
        }
        if (stop > start && (stop - start) / step >= MAX_GENERATED) {
          throw new IOException(location + ": gen dimension " + d.getKey() + " [" + start + ", " + stop + ") step "
              + step + " would generate more than " + MAX_GENERATED + " references");
        }
        for (long v = start; v < stop; v += step) {
          range.add(v);
        }
      }
      names.add(d.getKey());
      values.add(range);
    }
    long combinations = 1;
    for (List<Object> v : values) {
      combinations = Math.min(Long.MAX_VALUE / 2, combinations * Math.max(1, v.size()));
      if (combinations + out.size() > MAX_GENERATED) {
        throw new IOException(location + ": gen entry " + gen.path("key").asText() + " would generate more than "
            + MAX_GENERATED + " references");
      }
    }
    int[] at = new int[names.size()];
    while (true) {
      for (List<Object> v : values) {
        if (v.isEmpty()) {
          return;
        }
      }
      Map<String, Object> vars = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        vars.put(names.get(i), values.get(i).get(at[i]));
      }
      String key = render(gen.path("key").asText(), templates, vars, location);
      String url = render(gen.path("url").asText(), templates, vars, location);
      if (gen.has("offset") != gen.has("length")) {
        throw new IOException(location + ": gen entry " + gen.path("key").asText() + " has offset or length alone");
      }
      if (gen.has("offset")) {
        long offset = number(render(gen.get("offset").asText(), templates, vars, location), key, location);
        long length = number(render(gen.get("length").asText(), templates, vars, location), key, location);
        if (offset < 0 || length < 0) {
          throw new IOException(location + ": gen key " + key + ": negative offset " + offset + " or length "
              + length);
        }
        out.put(key, new References.Range(url, offset, length));
      } else {
        out.put(key, new References.Range(url, 0, -1));
      }
      int i = names.size() - 1; // odometer, last dimension fastest (itertools.product order)
      while (i >= 0 && ++at[i] == values.get(i).size()) {
        at[i--] = 0;
      }
      if (i < 0) {
        return;
      }
    }
  }

  /** Replaces every {@code {{expression}}} by a template, a variable or integer arithmetic over variables. */
  static String render(String text, Map<String, String> templates, Map<String, Object> vars, String location)
      throws IOException {
    if (!text.contains("{{")) {
      return text;
    }
    Matcher m = EXPRESSION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String expression = m.group(1).trim();
      String value;
      if (vars.containsKey(expression)) {
        value = String.valueOf(vars.get(expression));
      } else if (templates.containsKey(expression)) {
        value = templates.get(expression);
      } else {
        try {
          value = Long.toString(new Arithmetic(expression, vars).evaluate());
        } catch (IllegalArgumentException e) {
          throw new IOException(location + ": cannot render {{" + expression + "}} in " + text + ": "
              + e.getMessage(), e);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  /** Integer expressions: numbers, variables, + - * / // % and parentheses, with the usual precedence. */
  private static final class Arithmetic {
    private final String s;
    private final Map<String, Object> vars;
    private int pos;
    private int depth;

    Arithmetic(String s, Map<String, Object> vars) {
      this.s = s;
      this.vars = vars;
    }

    long evaluate() {
      long v = sum();
      skipSpaces();
      if (pos != s.length()) {
        throw new IllegalArgumentException("unexpected '" + s.substring(pos) + "'");
      }
      return v;
    }

    private long sum() {
      long v = product();
      while (true) {
        skipSpaces();
        if (eat("+")) {
          v += product();
        } else if (eat("-")) {
          v -= product();
        } else {
          return v;
        }
      }
    }

    private long product() {
      long v = factor();
      while (true) {
        skipSpaces();
        if (eat("//") || eat("/")) {
          v = Math.floorDiv(v, factor());
        } else if (eat("*")) {
          v *= factor();
        } else if (eat("%")) {
          v = Math.floorMod(v, factor());
        } else {
          return v;
        }
      }
    }

    private long factor() {
      skipSpaces();
      if (eat("(")) {
        if (++depth > MAX_EXPRESSION_DEPTH) {
          throw new IllegalArgumentException("parentheses nested deeper than " + MAX_EXPRESSION_DEPTH);
        }
        long v = sum();
        depth--;
        skipSpaces();
        if (!eat(")")) {
          throw new IllegalArgumentException("missing ')'");
        }
        return v;
      }
      if (eat("-")) {
        if (++depth > MAX_EXPRESSION_DEPTH) {
          throw new IllegalArgumentException("signs nested deeper than " + MAX_EXPRESSION_DEPTH);
        }
        long v = -factor();
        depth--;
        return v;
      }
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      String token = s.substring(start, pos);
      if (token.isEmpty()) {
        throw new IllegalArgumentException("expected a number or a variable at '" + s.substring(start) + "'");
      }
      if (Character.isDigit(token.charAt(0))) {
        try {
          return Long.parseLong(token);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a 64-bit integer: " + token);
        }
      }
      Object v = vars.get(token);
      if (!(v instanceof Long number)) {
        throw new IllegalArgumentException("unknown or non-integer variable " + token);
      }
      return number;
    }

    private boolean eat(String token) {
      if (s.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    private void skipSpaces() {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
    }
  }
}
