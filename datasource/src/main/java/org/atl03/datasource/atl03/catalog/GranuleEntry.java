package org.atl03.datasource.atl03.catalog;

import java.io.Serializable;
import java.util.List;

/**
 * A catalogued granule: what it is (name fields, orbit), its beams and the bounds of all its windows.
 *
 * @param location the data file's location (for references, the HDF5 file they point into)
 * @param name the data file's name
 * @param rgt {@code orbit_info/rgt}, else the file name's, else null
 * @param cycle {@code orbit_info/cycle_number}, else the file name's, else null
 * @param scOrient {@code orbit_info/sc_orient}, or null when the file has none
 * @param paged whether the file was written with paged aggregation (null when not known, e.g. via references)
 */
public record GranuleEntry(String location, String name, GranuleName nameFields, Integer rgt, Integer cycle,
    Integer scOrient, double sdpGpsEpoch, List<BeamEntry> beams, WindowBounds bounds, Boolean paged)
    implements Serializable {

  public GranuleEntry {
    beams = List.copyOf(beams);
  }

  public long photons() {
    return beams.stream().mapToLong(BeamEntry::photons).sum();
  }
}
