package org.atl03.jobs;

import java.nio.file.Path;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import picocli.CommandLine.Option;

/** The synthetic-granule options shared by the jobs that generate. */
public final class SyntheticGranuleOptions {

  @Option(names = "--granules", defaultValue = "" + GeneratorOptions.DEFAULT_GRANULES,
      description = "Number of synthetic granules (default: ${DEFAULT-VALUE}).")
  int granules = GeneratorOptions.DEFAULT_GRANULES;

  @Option(
      names = "--photons-per-strong-beam",
      defaultValue = "" + GeneratorOptions.DEFAULT_PHOTONS_PER_STRONG_BEAM,
      description = {
        "Photons per strong beam; weak beams get about a quarter (default: ${DEFAULT-VALUE}).",
        "A 7 GB-class granule, like the hackweek's, is about 68000000."
      })
  long photonsPerStrongBeam = GeneratorOptions.DEFAULT_PHOTONS_PER_STRONG_BEAM;

  @Option(names = "--seed", defaultValue = "" + GeneratorOptions.DEFAULT_SEED,
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = GeneratorOptions.DEFAULT_SEED;

  @Option(
      names = "--layout",
      defaultValue = "V006",
      description = {
        "v006: 10,000-element chunks, datasets extended in interleaved along-track batches (the mission's layout);",
        "v007: 100,000-element chunks; contiguous: each dataset written in one run (default: ${DEFAULT-VALUE})."
      })
  Layout layout = Layout.V006;

  public GeneratorOptions into(Path out) {
    return new GeneratorOptions(out, granules, photonsPerStrongBeam, seed, layout);
  }
}
