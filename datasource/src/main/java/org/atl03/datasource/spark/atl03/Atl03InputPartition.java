package org.atl03.datasource.spark.atl03;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.atl03.SegmentSlice;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.io.FileVersion;
import org.atl03.datasource.io.StoredFile;

/**
 * A chunk-aligned window of one beam of one granule, with everything the task needs to read it and nothing
 * more: the photon ranges to return, the chunks of each needed dataset that hold them, and (when photons need
 * their segment) the segments of the window. A task reads no HDF5 metadata.
 *
 * @param dataFile the data file as the planner's store saw it (null if unknown), so the task need not ask again
 * @param heights chunk indexes of the heights datasets, in {@link PhotonColumns#heightsDatasets()} order
 * @param segments the window's segments, or null when no column needs them
 * @param geolocation chunk indexes of the broadcast geolocation datasets over {@code segments}
 * @param indexed the data file's version a catalog recorded (tasks refuse another), or null
 * @param deferred when planned from a catalog, the segment index the task reads to narrow {@code ranges} and to
 *     give photons their segment ({@code segments} is null then), or null
 */
record Atl03InputPartition(
    String location,
    StoredFile dataFile,
    String granule,
    String beam,
    String beamStrength,
    Integer rgt,
    Integer cycle,
    double sdpGpsEpoch,
    PhotonRange window,
    List<PhotonRange> ranges,
    long chunkRows,
    List<ChunkIndex> heights,
    SegmentSlice segments,
    List<ChunkIndex> geolocation,
    FileVersion indexed,
    DeferredSegments deferred)
    implements InputPartition {

  long photons() {
    return PhotonRange.totalLength(ranges);
  }
}
