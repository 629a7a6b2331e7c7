package org.atl03.datasource.spark;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.Hdf5GranuleFile;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.kerchunk.RefsGranuleFile;
import org.atl03.datasource.kerchunk.RefsOptions;

/**
 * Opens what a path names as a granule, by its suffix: HDF5, or kerchunk references ({@code .json}, read with
 * the {@code atl03.refs.*} settings of {@link RefsOptions} from the Hadoop configuration).
 */
final class GranuleFiles {

  static final List<String> SUFFIXES = List.of(".h5", ".hdf5", ".he5", ".json");

  private GranuleFiles() {}

  /** Opens a granule, its reads counted by {@code metrics}. */
  static Atl03Granule open(String location, Configuration conf, ReadMetrics metrics) throws IOException {
    if (location.endsWith(".json")) {
      return new Atl03Granule(RefsGranuleFile.open(location, conf, metrics, RefsOptions.from(conf)));
    }
    InputFile input = metrics.meter(HadoopInputFile.open(new Path(location), conf));
    return new Atl03Granule(new Hdf5GranuleFile(Hdf5File.open(input)));
  }
}
