package org.atl03.testing.generate;

/** Physical layout of generated ATL03 granules. */
public enum Layout {
    /** Release 006: 10,000-element chunks, gzip 6, shuffle on integers, unlimited dims, interleaved chunks. */
    V006,
    /** Release 007: as V006 with 100,000-element chunks and 8 MiB paged file-space aggregation. */
    V007,
    /** Every dataset is one contiguous, unfiltered run of bytes allocated at creation time (no interleaving). */
    CONTIGUOUS;

    /** The value of the python generator's {@code --layout} flag. */
    public String flag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
