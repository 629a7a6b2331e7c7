package org.atl03.datasource.atl03.catalog;

import java.io.Serializable;
import java.util.Map;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.io.FileVersion;

/**
 * A catalogued window with what a scan of it needs of its granule: the data file and the version indexed, and the
 * per-beam facts every row of the window shares.
 */
public record IndexedWindow(String location, FileVersion version, String granule, Integer rgt, Integer cycle,
    double sdpGpsEpoch, long beamPhotons, CatalogWindow window) implements Serializable {

  /** The same window with {@code manifest} (read apart from the rest of its row). */
  public IndexedWindow withManifest(Map<String, ChunkIndex> manifest) {
    CatalogWindow w = window;
    return new IndexedWindow(location, version, granule, rgt, cycle, sdpGpsEpoch, beamPhotons,
        new CatalogWindow(w.beam(), w.beamStrength(), w.photons(), w.firstSegment(), w.endSegment(),
            w.firstSegmentPhoton(), w.chunkRows(), w.bounds(), manifest));
  }
}
