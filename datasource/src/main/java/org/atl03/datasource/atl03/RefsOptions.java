package org.atl03.datasource.atl03;

import java.util.List;

/**
 * How references find their data file, and which data files they may name.
 *
 * @param dataDir          where a relative URL resolves when the file is not beside the references (null: nowhere)
 * @param dataLocation     the data file, overriding the references' URL (null: use the URL)
 * @param allowedPrefixes  locations the data file must be under; empty: the references' own directory, plus
 *                         {@code dataDir} and {@code dataLocation} when given
 */
public record RefsOptions(String dataDir, String dataLocation, List<String> allowedPrefixes) {

  public static final RefsOptions DEFAULT = new RefsOptions(null, null, List.of());

  public RefsOptions {
    allowedPrefixes = List.copyOf(allowedPrefixes);
  }

  public RefsOptions withDataDir(String dir) {
    return new RefsOptions(dir, dataLocation, allowedPrefixes);
  }

  public RefsOptions withAllowedPrefixes(List<String> prefixes) {
    return new RefsOptions(dataDir, dataLocation, prefixes);
  }

}
