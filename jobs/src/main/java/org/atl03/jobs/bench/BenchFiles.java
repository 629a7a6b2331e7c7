package org.atl03.jobs.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;

/** Opens the benchmark granule with the datasource's own I/O and HDF5 layers (chunk and segment indexes). */
public final class BenchFiles {

  private BenchFiles() {}

  public static InputFile input(Path granule) throws IOException {
    return HadoopInputFile.open(new org.apache.hadoop.fs.Path(granule.toAbsolutePath().toUri()), new Configuration());
  }

  public static Hdf5File open(Path granule) throws IOException {
    return Hdf5File.open(input(granule));
  }
}
