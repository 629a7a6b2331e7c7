package org.atl03.datasource.kerchunk;

import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * How references find their data file, and which data files they may name.
 *
 * @param dataDir          where a relative URL resolves when the file is not beside the references (null: nowhere)
 * @param dataLocation     the data file, overriding the references' URL (null: use the URL)
 * @param allowedPrefixes  locations the data file must be under; empty: the references' own directory, plus
 *                         {@code dataDir} and {@code dataLocation} when given
 */
public record RefsOptions(String dataDir, String dataLocation, List<String> allowedPrefixes) {

  public static final String DATA_DIR = "atl03.refs.dataDir";
  public static final String DATA_LOCATION = "atl03.refs.dataLocation";
  public static final String ALLOWED_PREFIXES = "atl03.refs.allowedPrefixes";

  public static final RefsOptions DEFAULT = new RefsOptions(null, null, List.of());

  public RefsOptions {
    allowedPrefixes = List.copyOf(allowedPrefixes);
  }

  /** From Hadoop configuration keys {@value #DATA_DIR}, {@value #DATA_LOCATION}, {@value #ALLOWED_PREFIXES}. */
  public static RefsOptions from(Configuration conf) {
    String prefixes = conf.get(ALLOWED_PREFIXES, "");
    return new RefsOptions(blankToNull(conf.get(DATA_DIR)), blankToNull(conf.get(DATA_LOCATION)),
        Arrays.stream(prefixes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  public RefsOptions withDataDir(String dir) {
    return new RefsOptions(dir, dataLocation, allowedPrefixes);
  }

  public RefsOptions withAllowedPrefixes(List<String> prefixes) {
    return new RefsOptions(dataDir, dataLocation, prefixes);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
