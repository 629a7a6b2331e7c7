package org.atl03.datasource.spark.atl03;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.spark.GranuleSettings;

/**
 * Where the granules a catalog names may be: a catalog names files to read, as kerchunk references do, so it is
 * trusted only for locations under the allowedPrefixes option, by default the catalog directory's parent.
 */
final class CatalogPrefixes {

  private final String catalog;
  private final List<String> prefixes;

  private CatalogPrefixes(String catalog, List<String> prefixes) {
    this.catalog = catalog;
    this.prefixes = List.copyOf(prefixes);
  }

  /** The allowedPrefixes of {@code conf} (the read's option), else the catalog's parent directory, qualified. */
  static CatalogPrefixes of(String catalog, Storage storage, Configuration conf) throws IOException {
    List<String> given = GranuleSettings.from(conf).refs().allowedPrefixes();
    List<String> prefixes = new ArrayList<>();
    if (given.isEmpty()) {
      String parent = storage.qualify(storage.parent(storage.qualify(catalog)));
      prefixes.add(parent.endsWith("/") ? parent : parent + "/");
    } else {
      for (String p : given) {
        String q = storage.qualify(p);
        prefixes.add(p.endsWith("/") && !q.endsWith("/") ? q + "/" : q);
      }
    }
    return new CatalogPrefixes(catalog, prefixes);
  }

  /** Refuses a location outside the prefixes, naming it and how to allow it. */
  void check(String location) {
    for (String prefix : prefixes) {
      if (location.startsWith(prefix)) {
        return;
      }
    }
    throw new SecurityException("catalog " + catalog + " names " + location + ", outside the allowed prefixes "
        + prefixes + ": give option allowedPrefixes to read granules there");
  }
}
