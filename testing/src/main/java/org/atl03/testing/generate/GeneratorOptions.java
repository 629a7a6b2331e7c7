package org.atl03.testing.generate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link Generator} writes: {@code granules} files into {@code out}, each with {@code photonsPerStrongBeam}
 * photons in every strong beam (weak beams get a quarter), deterministic for {@code seed}.
 */
public record GeneratorOptions(Path out, int granules, long photonsPerStrongBeam, long seed, Layout layout) {

    public static final int DEFAULT_GRANULES = 2;
    public static final long DEFAULT_PHOTONS_PER_STRONG_BEAM = 200_000;
    public static final long DEFAULT_SEED = 1;

    public GeneratorOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(layout, "layout");
        if (granules < 1) {
            throw new IllegalArgumentException("granules must be >= 1, got " + granules);
        }
        if (photonsPerStrongBeam < 1) {
            throw new IllegalArgumentException("photonsPerStrongBeam must be >= 1, got " + photonsPerStrongBeam);
        }
    }

    /** CI-sized defaults: 2 granules of 200,000 photons per strong beam, seed 1, release-006 layout. */
    public static GeneratorOptions defaults(Path out) {
        return new GeneratorOptions(out, DEFAULT_GRANULES, DEFAULT_PHOTONS_PER_STRONG_BEAM, DEFAULT_SEED, Layout.V006);
    }
}
