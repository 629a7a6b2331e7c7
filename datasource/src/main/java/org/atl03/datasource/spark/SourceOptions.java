package org.atl03.datasource.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract every source's read options keep: names in Spark's camelCase, matched case-insensitively; a renamed
 * option's old name still accepted with a warning naming the new one; an unknown name refused, listing the known
 * ones, so that a typo fails the query instead of being silently ignored. A name with a dot is a Hadoop setting for
 * this read only (e.g. {@code fs.s3a.bucket.NAME.endpoint}), as with Spark's file sources.
 */
public final class SourceOptions {

  /** Given by Spark itself: {@code load(path)} and {@code load(path, path, …)}. */
  public static final String PATH = "path";
  public static final String PATHS = "paths";

  private static final Logger LOG = LoggerFactory.getLogger(SourceOptions.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private SourceOptions() {}

  /**
   * {@code options} with old names replaced by their new ones ({@code renamed}: old → new).
   *
   * @throws IllegalArgumentException naming an option that is neither in {@code known} nor renamed, with the known
   *                                  ones, or an option given under both its old and new name
   */
  public static CaseInsensitiveStringMap checked(String format, CaseInsensitiveStringMap options, Set<String> known,
      Map<String, String> renamed) {
    Map<String, String> knownByLowerCase = new HashMap<>();
    known.forEach(name -> knownByLowerCase.put(name.toLowerCase(Locale.ROOT), name));
    Map<String, String> renamedByLowerCase = new HashMap<>();
    renamed.forEach((old, name) -> renamedByLowerCase.put(old.toLowerCase(Locale.ROOT), name));
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> option : options.asCaseSensitiveMap().entrySet()) {
      if (isHadoopSetting(option.getKey())) {
        out.put(option.getKey(), option.getValue());
        continue;
      }
      String key = option.getKey().toLowerCase(Locale.ROOT);
      String name = knownByLowerCase.get(key);
      if (name == null && renamedByLowerCase.containsKey(key)) {
        name = renamedByLowerCase.get(key);
        if (options.containsKey(name)) {
          throw new IllegalArgumentException("format(\"" + format + "\"): option " + option.getKey() + " is the old "
              + "name of " + name + "; give one");
        }
        if (WARNED.add(format + "." + key)) {
          LOG.warn("format(\"{}\"): option {} is deprecated, use {}", format, option.getKey(), name);
        }
      }
      if (name == null) {
        throw new IllegalArgumentException("format(\"" + format + "\") has no option " + option.getKey()
            + "; its options are " + String.join(", ", new TreeSet<>(known))
            + " (and Hadoop settings for the read, named with dots)");
      }
      out.put(name, option.getValue());
    }
    return new CaseInsensitiveStringMap(out);
  }

  /** The Hadoop settings among checked options, by their case-sensitive names (Hadoop's keys are). */
  public static Map<String, String> hadoopSettings(CaseInsensitiveStringMap checked) {
    Map<String, String> settings = new HashMap<>();
    checked.asCaseSensitiveMap().forEach((key, value) -> {
      if (isHadoopSetting(key)) {
        settings.put(key, value);
      }
    });
    return Map.copyOf(settings);
  }

  /** {@code session} with {@code settings} on top, a copy when there are any. */
  public static Configuration withSettings(Configuration session, Map<String, String> settings) {
    if (settings.isEmpty()) {
      return session;
    }
    Configuration conf = new Configuration(session);
    settings.forEach(conf::set);
    return conf;
  }

  private static boolean isHadoopSetting(String name) {
    return name.indexOf('.') > 0;
  }

  /**
   * The files, directories or globs to read: Spark's {@value #PATHS} (a JSON list) and {@value #PATH}.
   *
   * @throws IllegalArgumentException when there is none, showing {@code example}
   */
  public static List<String> paths(String format, CaseInsensitiveStringMap options, String example) {
    List<String> paths = new ArrayList<>();
    if (options.containsKey(PATHS)) {
      try {
        paths.addAll(new ObjectMapper().readValue(options.get(PATHS), new TypeReference<List<String>>() {}));
      } catch (Exception e) {
        throw new IllegalArgumentException("option paths is not a JSON list of strings: " + options.get(PATHS));
      }
    }
    if (options.containsKey(PATH)) {
      paths.add(options.get(PATH));
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("format(\"" + format + "\") needs a path: load(\"" + example + "\")");
    }
    return List.copyOf(paths);
  }
}
