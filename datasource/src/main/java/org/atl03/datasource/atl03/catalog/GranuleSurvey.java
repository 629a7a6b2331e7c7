package org.atl03.datasource.atl03.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.PartitionPlanner;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.atl03.SegmentIndex;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.StorageKind;

/**
 * Describes an opened granule for the catalog: its facts, and each beam cut into windows of
 * {@code windowPhotons} (rounded to whole chunks) with their bounds and chunk manifests. Reads the beams'
 * segment indexes and chunk indexes, never a photon.
 */
public final class GranuleSurvey {

  /** The heights datasets of the default photon columns. */
  public static final List<String> DEFAULT_HEIGHTS =
      List.of("delta_time", "lat_ph", "lon_ph", "h_ph", "signal_conf_ph", "quality_ph");

  /** The geolocation datasets a scan reads: the segment index (pruning, segment_id). */
  public static final List<String> DEFAULT_GEOLOCATION =
      List.of("segment_ph_cnt", "segment_id", "reference_photon_lat", "reference_photon_lon", "delta_time");

  /** Photons per window by default: the data source's partition size, so a full scan plans one window each. */
  public static final long DEFAULT_WINDOW_PHOTONS = 1_000_000;

  /** A granule's entry and its windows in beam then photon order. */
  public record Survey(GranuleEntry granule, List<CatalogWindow> windows) {}

  private final List<String> extraDatasets;
  private final long windowPhotons;

  /**
   * @param extraDatasets datasets beyond the default ones to keep manifests of, as {@code heights/NAME} or
   *     {@code geolocation/NAME} (a bare NAME is looked up in heights, then geolocation)
   */
  public GranuleSurvey(List<String> extraDatasets, long windowPhotons) {
    if (windowPhotons <= 0) {
      throw new IllegalArgumentException("window photons must be positive, got " + windowPhotons);
    }
    this.extraDatasets = List.copyOf(extraDatasets);
    this.windowPhotons = windowPhotons;
  }

  public Survey survey(Atl03Granule granule) throws IOException {
    Atl03Granule.Orbit orbit = granule.orbit();
    GranuleName name = GranuleName.parse(granule.name());
    List<BeamEntry> beams = new ArrayList<>();
    List<CatalogWindow> windows = new ArrayList<>();
    WindowBounds bounds = null;
    for (String beam : granule.beams()) {
      String strength = granule.beamStrength(beam);
      long photons = granule.photons(beam);
      SegmentIndex index = photons == 0 ? null : granule.segmentIndex(beam);
      DatasetInfo time = granule.file().dataset(Atl03Granule.heights(beam, "delta_time"));
      long chunkRows = time.chunkShape().length == 0 ? Math.max(1, photons) : time.chunkShape()[0];
      beams.add(new BeamEntry(beam, strength, photons, index == null ? 0 : index.segments(), chunkRows));
      if (index == null) {
        continue;
      }
      Map<String, ChunkIndex> indexes = chunkIndexes(granule, beam);
      int chunks = (int) Math.max(1, Math.min(Integer.MAX_VALUE, windowPhotons / chunkRows));
      for (PartitionPlanner.PhotonSplit split :
          PartitionPlanner.plan(List.of(new PhotonRange(0, photons)), photons, chunkRows, chunks)) {
        PhotonRange window = split.window();
        int first = index.segmentOf(window.start());
        int end = index.segmentOf(window.end() - 1) + 1;
        WindowBounds windowBounds = WindowBounds.of(index, first, end);
        bounds = bounds == null ? windowBounds : bounds.union(windowBounds);
        Map<String, ChunkIndex> manifest = new LinkedHashMap<>();
        indexes.forEach((path, chunkIndex) -> manifest.put(path, path.startsWith("heights/")
            ? chunkIndex.forRows(window.start(), window.end())
            : chunkIndex.forRows(first, end)));
        windows.add(new CatalogWindow(beam, strength, window, first, end, index.photonStart(first), chunkRows,
            windowBounds, manifest));
      }
    }
    Integer rgt = orbit.rgt() != null ? orbit.rgt() : name.rgt();
    Integer cycle = orbit.cycle() != null ? orbit.cycle() : name.cycle();
    return new Survey(new GranuleEntry(granule.file().dataLocation(), granule.name(), name, rgt, cycle,
        granule.scOrient(), orbit.sdpGpsEpoch(), beams, bounds == null ? WindowBounds.UNKNOWN : bounds, granule.file().paged()),
        windows);
  }

  /** The chunk indexes of the catalogued datasets the beam has, row-chunked ones only (what scans can read). */
  private Map<String, ChunkIndex> chunkIndexes(Atl03Granule granule, String beam) {
    List<String> paths = new ArrayList<>();
    DEFAULT_HEIGHTS.forEach(d -> paths.add("heights/" + d));
    DEFAULT_GEOLOCATION.forEach(d -> paths.add("geolocation/" + d));
    for (String extra : extraDatasets) {
      String path = extra.contains("/") ? extra
          : granule.file().hasDataset(Atl03Granule.heights(beam, extra)) ? "heights/" + extra
          : "geolocation/" + extra;
      if (!paths.contains(path)) {
        paths.add(path);
      }
    }
    Map<String, ChunkIndex> indexes = new LinkedHashMap<>();
    for (String path : paths) {
      String full = beam + "/" + path;
      if (!granule.file().hasDataset(full)) {
        continue; // a query needing it plans from the file, which names what is missing
      }
      DatasetInfo info = granule.file().dataset(full);
      if (info.storage() != StorageKind.CHUNKED) {
        continue;
      }
      ChunkIndex index = granule.file().chunkIndex(full);
      if (index.isRowChunked()) {
        indexes.put(path, index);
      }
    }
    return indexes;
  }
}
