package org.atl03.datasource.atl03;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a beam's selected photon ranges into partitions aligned on the heights datasets' chunk grid, so that no
 * two partitions decode the same chunk and each reads whole chunks in one pass.
 */
public final class PartitionPlanner {

  private PartitionPlanner() {}

  /** One partition: a chunk-aligned window of the beam and the photon ranges within it to return. */
  public record PhotonSplit(PhotonRange window, List<PhotonRange> ranges) {
    public long photons() {
      return PhotonRange.totalLength(ranges);
    }
  }

  /**
   * @param selected the photon ranges to return (any order, may overlap)
   * @param photons the beam's photon count
   * @param chunkElements photons per chunk of the heights datasets
   * @param chunksPerPartition chunks per partition window
   */
  public static List<PhotonSplit> plan(
      List<PhotonRange> selected, long photons, long chunkElements, int chunksPerPartition) {
    if (chunkElements <= 0 || chunksPerPartition <= 0) {
      throw new IllegalArgumentException(
          "chunk size " + chunkElements + " and chunks per partition " + chunksPerPartition + " must be positive");
    }
    long windowSize = Math.multiplyExact(chunkElements, (long) chunksPerPartition);
    List<PhotonSplit> splits = new ArrayList<>();
    List<PhotonRange> ranges = PhotonRange.normalize(selected);
    int next = 0;
    while (next < ranges.size()) {
      PhotonRange first = ranges.get(next);
      if (first.end() > photons) {
        throw new IllegalArgumentException("photon range " + first + " beyond the beam's " + photons + " photons");
      }
      long windowStart = first.start() / windowSize * windowSize;
      PhotonRange window = new PhotonRange(windowStart, Math.min(windowStart + windowSize, photons));
      List<PhotonRange> inWindow = new ArrayList<>();
      while (next < ranges.size() && ranges.get(next).start() < window.end()) {
        PhotonRange range = ranges.get(next);
        inWindow.add(range.intersect(window));
        if (range.end() > window.end()) {
          ranges.set(next, new PhotonRange(window.end(), range.end())); // the rest goes to the next window
          break;
        }
        next++;
      }
      splits.add(new PhotonSplit(window, List.copyOf(inWindow)));
    }
    return splits;
  }
}
