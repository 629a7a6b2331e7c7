package org.atl03.datasource.atl03.catalog;

import java.io.Serializable;

/** One beam of a catalogued granule: its strength, photons, segments and the photons per heights chunk. */
public record BeamEntry(String beam, String strength, long photons, int segments, long chunkRows)
    implements Serializable {}
