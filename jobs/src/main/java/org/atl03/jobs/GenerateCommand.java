package org.atl03.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.atl03.jobs.generate.Generator;
import org.atl03.jobs.generate.GeneratorOptions;
import org.atl03.jobs.generate.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write deterministic synthetic ATL03 granules.",
      "Release-006 structure, dtypes, attributes, chunking, filters and the mission's interleaved physical",
      "layout, written through the HDF5 C library (Debian's python3-h5py)."
    })
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--granules", defaultValue = "" + GeneratorOptions.DEFAULT_GRANULES,
      description = "Number of granules (default: ${DEFAULT-VALUE}).")
  int granules;

  @Option(
      names = "--photons-per-strong-beam",
      defaultValue = "" + GeneratorOptions.DEFAULT_PHOTONS_PER_STRONG_BEAM,
      description = {
        "Photons per strong beam; weak beams get about a quarter (default: ${DEFAULT-VALUE}).",
        "A 7 GB-class granule, like the hackweek's, is about 68000000."
      })
  long photonsPerStrongBeam;

  @Option(names = "--seed", defaultValue = "" + GeneratorOptions.DEFAULT_SEED,
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--layout",
      defaultValue = "V006",
      description = {
        "v006: 10,000-element chunks, datasets extended in interleaved along-track batches (the mission's layout);",
        "v007: 100,000-element chunks; contiguous: each dataset written in one run (default: ${DEFAULT-VALUE})."
      })
  Layout layout;

  @Override
  public Integer call() {
    List<Path> written =
        Generator.generate(
            new GeneratorOptions(out, granules, photonsPerStrongBeam, seed, layout));
    System.out.printf("generated %d granule(s) in %s%n", written.size(), out);
    return 0;
  }
}
