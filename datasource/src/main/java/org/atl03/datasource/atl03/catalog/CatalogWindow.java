package org.atl03.datasource.atl03.catalog;

import java.io.Serializable;
import java.util.Map;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.hdf5.ChunkIndex;

/**
 * A planning window of one beam as the catalog keeps it: a chunk-aligned photon range, the segments holding its
 * photons, where and when those segments lie, and the chunks of every catalogued dataset that hold the window's
 * rows, so that a scan of the window reads no HDF5 metadata.
 *
 * @param photons the window: photons [start, end) of the beam, aligned on the heights datasets' chunk grid
 * @param firstSegment index (0-based, in the beam's geolocation datasets) of the segment holding the first photon
 * @param endSegment one past the segment holding the last photon
 * @param firstSegmentPhoton the beam photon index where {@code firstSegment} starts (at or before the window)
 * @param chunkRows photons per chunk of {@code heights/delta_time}, the grid windows are aligned on
 * @param manifest by dataset path within the beam ({@code heights/h_ph}, {@code geolocation/segment_ph_cnt}):
 *     the chunks overlapping the window's photons (heights) or segments (geolocation)
 */
public record CatalogWindow(String beam, String beamStrength, PhotonRange photons, int firstSegment, int endSegment,
    long firstSegmentPhoton, long chunkRows, WindowBounds bounds, Map<String, ChunkIndex> manifest)
    implements Serializable {

  public CatalogWindow {
    manifest = Map.copyOf(manifest);
  }
}
