package org.atl03.jobs.convert;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One output format of {@code convert}. A target writes its outputs for all the granules, atomically: a failed or
 * killed run leaves nothing a reader would take for a complete output (write under a temporary name, then rename,
 * or the format's own commit protocol).
 */
public interface Conversion {

  /** The name given to {@code --to}. */
  String name();

  /** Whether the conversion runs on Spark (the session is then started once for all such targets). */
  boolean needsSpark();

  /**
   * Converts {@code granules} (HDF5 granules or their refs) into {@code out}/ (its own subdirectory or files).
   *
   * @param spark the session, or null when {@link #needsSpark()} is false
   * @return one line per output, for the user
   */
  List<String> convert(List<String> granules, String out, ConvertSettings settings, SparkSession spark)
      throws Exception;

  /**
   * Reads the outputs written into {@code out}/ back as photons with the {@code atl03} source's column names (at
   * least granule, beam, photon_index, delta_time, lat_ph, lon_ph, h_ph, signal_conf_ph, quality_ph), so that
   * {@code verify} can compare every format with the original.
   */
  Dataset<Row> read(SparkSession spark, String out);
}
