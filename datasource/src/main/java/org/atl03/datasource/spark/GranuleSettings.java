package org.atl03.datasource.spark;

import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.atl03.GranuleReadOptions;
import org.atl03.datasource.atl03.RefsOptions;
import org.atl03.datasource.io.HadoopSettings;

/** The granule read options a Hadoop configuration sets, for the scan and for jobs that open granules themselves. */
public final class GranuleSettings {

  private GranuleSettings() {}

  /**
   * How granules are opened under {@code conf}: {@value HadoopSettings#METADATA_BLOCK_SIZE} and the
   * {@code atl03.refs.*} settings (see {@link HadoopSettings}).
   */
  public static GranuleReadOptions from(Configuration conf) {
    RefsOptions refs = new RefsOptions(blankToNull(conf.get(HadoopSettings.REFS_DATA_DIR)),
        blankToNull(conf.get(HadoopSettings.REFS_DATA_LOCATION)),
        Arrays.stream(conf.get(HadoopSettings.REFS_ALLOWED_PREFIXES, "").split(",")).map(String::trim)
            .filter(p -> !p.isEmpty()).toList());
    return new GranuleReadOptions(conf.getLongBytes(HadoopSettings.METADATA_BLOCK_SIZE, 0), refs);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
