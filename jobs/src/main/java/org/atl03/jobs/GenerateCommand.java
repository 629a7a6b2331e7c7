package org.atl03.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atl03.testing.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write deterministic synthetic ATL03 granules: release-006 structure, dtypes, attributes,",
      "chunking, filters and the mission's interleaved layout, through the HDF5 C library (python3-h5py)."
    })
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Mixin SyntheticGranuleOptions synthetic;

  @Override
  public Integer call() {
    List<Path> written =
        Generator.generate(synthetic.into(out));
    System.out.printf("generated %d granule(s) in %s%n", written.size(), out);
    return 0;
  }
}
