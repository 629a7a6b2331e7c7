package org.atl03.jobs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.Hdf5GranuleFile;
import org.atl03.datasource.atl03.SegmentIndex;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetReader;
import org.atl03.datasource.hdf5.Hdf5File;

/**
 * The bbox query's box, derived from the granule: a run of consecutive segments of one beam holding about the
 * wanted fraction of the granule's photons, away from the poles and the antimeridian, boxed around those photons'
 * own lat_ph/lon_ph. Neighbouring beams may add photons; the report gives the fraction actually returned.
 */
public final class BboxChoice {

  public record Box(String beam, int firstSegment, int segments, long beamPhotons, double south, double north,
      double west, double east) {

    /** A box of about {@code meters} a side around this one's centre: a query that finds next to nothing. */
    public Box centre(double meters) {
      double lat = (south + north) / 2;
      double lon = (west + east) / 2;
      double halfLat = meters / 2 / 111_320.0;
      double halfLon = halfLat / Math.max(1e-3, Math.cos(Math.toRadians(lat)));
      return new Box(beam, firstSegment, segments, beamPhotons, lat - halfLat, lat + halfLat, lon - halfLon,
          lon + halfLon);
    }

    /** The box as the benchmark reports record it. */
    public Map<String, Object> describe() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("south", south);
      json.put("north", north);
      json.put("west", west);
      json.put("east", east);
      json.put("beam", beam);
      json.put("first_segment", firstSegment);
      json.put("segments", segments);
      return json;
    }
  }

  private static final double MAX_ABS_LAT = 75; // far from the pole, where a track stretch spans many longitudes
  private static final double MAX_LON_SPAN = 10; // degrees: excludes antimeridian crossings
  private static final int CANDIDATES = 64;

  private BboxChoice() {}

  /** A box around the first run of segments of {@code beam} holding at least {@code wanted} photons. */
  public static Box choose(Path granule, String beam, long wanted) throws IOException {
    try (Hdf5File hdf = BenchFiles.open(granule)) {
      Atl03Granule atl03 = new Atl03Granule(new Hdf5GranuleFile(hdf));
      SegmentIndex segments = atl03.segmentIndex(beam);
      int step = Math.max(1, segments.segments() / CANDIDATES);
      Box best = null;
      for (int first = 0; first < segments.segments(); first += step) {
        int last = first;
        long photons = 0;
        while (last < segments.segments() && photons < wanted) {
          photons += segments.photonCount(last++);
        }
        if (photons < wanted && best != null) {
          break; // the rest of the track holds too few photons
        }
        Box box = box(hdf, beam, segments, first, last);
        // prefer usable boxes, then the narrowest in longitude: the track runs north-south there
        if (best == null
            || usable(box) && (!usable(best) || box.east() - box.west() < best.east() - best.west())) {
          best = box;
        }
      }
      if (best == null) {
        throw new IllegalArgumentException(granule + ": beam " + beam + " has no photons for a bbox query");
      }
      return best;
    }
  }

  public static boolean usable(Box box) {
    return Math.max(Math.abs(box.south()), Math.abs(box.north())) <= MAX_ABS_LAT
        && box.east() - box.west() <= MAX_LON_SPAN;
  }

  private static Box box(Hdf5File hdf, String beam, SegmentIndex segments, int first, int end)
      throws IOException {
    long start = segments.photonStart(first);
    long stop = end < segments.segments() ? segments.photonStart(end) : segments.photons();
    double[] lat = read(hdf, Atl03Granule.heights(beam, "lat_ph"), start, stop);
    double[] lon = read(hdf, Atl03Granule.heights(beam, "lon_ph"), start, stop);
    double south = Double.POSITIVE_INFINITY;
    double north = Double.NEGATIVE_INFINITY;
    double west = Double.POSITIVE_INFINITY;
    double east = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < lat.length; i++) {
      south = Math.min(south, lat[i]);
      north = Math.max(north, lat[i]);
      west = Math.min(west, lon[i]);
      east = Math.max(east, lon[i]);
    }
    return new Box(beam, first, end - first, stop - start, south, north, west, east);
  }

  private static double[] read(Hdf5File file, String path, long start, long end) throws IOException {
    try (DatasetReader reader = file.reader(path)) {
      return reader.readDoubles(start, end);
    }
  }

  /** The stored chunks that hold at least one photon of a result, over the scanned datasets. */
  public record Touched(int chunks, long storedBytes) {}

  /** Counts, over {@code datasets}, the distinct chunks holding a photon of {@code rows} (beam, photon_index). */
  public static Touched touchedChunks(Path granule, List<Row> rows, List<String> datasets) throws IOException {
    try (Hdf5File file = BenchFiles.open(granule)) {
      Set<ChunkDescriptor> touched = new HashSet<>();
      Map<String, ChunkIndex> indexes = new java.util.HashMap<>();
      for (Row row : rows) {
        String beam = row.getString(0);
        long photon = row.getLong(1);
        for (String dataset : datasets) {
          ChunkIndex index = indexes.computeIfAbsent(beam + "/" + dataset,
              k -> file.chunkIndex(Atl03Granule.heights(beam, dataset)));
          touched.addAll(index.chunksForRows(photon, photon + 1));
        }
      }
      return new Touched(touched.size(), touched.stream().mapToLong(ChunkDescriptor::storedSize).sum());
    }
  }
}
