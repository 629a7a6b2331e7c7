package org.atl03.jobs.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.atl03.GranuleReadOptions;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.Storage;

/** Opens the benchmark granule as the data source does ({@link Granules}: the same I/O, HDF5 layer and options). */
public final class BenchFiles {

  private static final Storage LOCAL = new HadoopStorage(new Configuration());

  private BenchFiles() {}

  public static InputFile input(Path granule) throws IOException {
    return LOCAL.open(location(granule));
  }

  public static Hdf5File open(Path granule) throws IOException {
    return Granules.openHdf5(location(granule), LOCAL, GranuleReadOptions.DEFAULT);
  }

  private static String location(Path granule) {
    return granule.toAbsolutePath().toUri().toString();
  }
}
