package org.atl03.datasource.atl03.catalog;

import java.io.Serializable;
import org.atl03.datasource.io.FileVersion;

/**
 * A catalogued window with what a scan of it needs of its granule: the data file and the version indexed, and the
 * per-beam facts every row of the window shares.
 */
public record IndexedWindow(String location, FileVersion version, String granule, Integer rgt, Integer cycle,
    double sdpGpsEpoch, long beamPhotons, CatalogWindow window) implements Serializable {}
