package org.atl03.datasource.spark.atl03;

import java.io.Serializable;
import org.atl03.datasource.atl03.PhotonFilter;
import org.atl03.datasource.hdf5.ChunkIndex;

/**
 * The segment index of a partition planned from a catalog, which the task reads for its window alone: to narrow
 * its photon ranges as planning from the granule would have ({@code filter}), and to give photons their segment.
 *
 * @param firstSegment the first segment of the window (in the beam's geolocation datasets)
 * @param firstPhoton the beam photon where {@code firstSegment} starts
 * @param endSegment one past the window's last segment
 * @param filter the region to narrow to, or null to keep the planned ranges
 * @param counts {@code segment_ph_cnt} over the segments; the others are null when not needed
 */
record DeferredSegments(int firstSegment, long firstPhoton, int endSegment, PhotonFilter filter,
    double marginMeters, double marginSeconds, ChunkIndex counts, ChunkIndex ids, ChunkIndex lat, ChunkIndex lon,
    ChunkIndex time) implements Serializable {}
