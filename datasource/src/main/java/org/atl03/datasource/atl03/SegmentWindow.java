package org.atl03.datasource.atl03;

import java.util.ArrayList;
import java.util.List;

/**
 * The segments {@code [firstSegment, firstSegment + n)} of a beam, read by a task for its window alone (the window
 * was planned from a catalog, without the beam's segment index): it narrows the window to the photon ranges the
 * filter can match, as {@link PhotonPruning} narrows a whole beam, and gives the window's {@link SegmentSlice}.
 * Both in the beam's own photon and segment numbering.
 */
public final class SegmentWindow {

  private final int firstSegment;
  private final long firstPhoton;
  private final SegmentIndex index; // numbered from 0 = firstSegment, photon 0 = firstPhoton

  /**
   * @param firstPhoton the beam photon where {@code firstSegment} starts
   * @param segmentId the segments' {@code segment_id}, or null (ids are then the beam's segment indexes)
   * @param referenceLat may be null when no box is pruned on; likewise {@code referenceLon}, {@code deltaTime}
   */
  public SegmentWindow(int firstSegment, long firstPhoton, int[] segmentId, int[] photonCount, double[] referenceLat,
      double[] referenceLon, double[] deltaTime) {
    this.firstSegment = firstSegment;
    this.firstPhoton = firstPhoton;
    int[] ids = segmentId;
    if (ids == null) {
      ids = new int[photonCount.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = firstSegment + i;
      }
    }
    this.index = new SegmentIndex(ids, photonCount, referenceLat, referenceLon, deltaTime);
  }

  /** The photons of {@code within} (sorted, disjoint, inside these segments) that the filter can match. */
  public List<PhotonRange> select(PhotonFilter filter, double marginMeters, double marginSeconds,
      List<PhotonRange> within) {
    List<PhotonRange> kept = new ArrayList<>();
    for (PhotonRange local : PhotonPruning.select(index, filter, marginMeters, marginSeconds)) {
      PhotonRange range = new PhotonRange(local.start() + firstPhoton, local.end() + firstPhoton);
      for (PhotonRange w : within) {
        PhotonRange both = range.intersect(w);
        if (!both.isEmpty()) {
          kept.add(both);
        }
      }
    }
    return PhotonRange.normalize(kept);
  }

  /** The segments holding photons {@code span} of the beam. */
  public SegmentSlice slice(PhotonRange span) {
    if (span.start() < firstPhoton || span.end() > firstPhoton + index.photons()) {
      throw new IndexOutOfBoundsException("photons " + span + " outside segments [" + firstSegment + ", "
          + (firstSegment + index.segments()) + ") holding [" + firstPhoton + ", " + (firstPhoton + index.photons())
          + ")");
    }
    return SegmentSlice.of(index, new PhotonRange(span.start() - firstPhoton, span.end() - firstPhoton))
        .shifted(firstSegment, firstPhoton);
  }
}
