package org.atl03.datasource.atl03;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.atl03.datasource.hdf5.DatasetInfo;

/**
 * An ATL03 granule as the scan sees it: its beams, their strength, the orbit it belongs to and each beam's
 * segment index. Groups a file lacks (NASA's subsets drop ancillary_data and orbit_info) give nulls or the
 * standard values, as documented on each method.
 */
public final class Atl03Granule implements Closeable {

  public static final List<String> BEAMS = List.of("gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r");

  private final GranuleFile file;

  public Atl03Granule(GranuleFile file) {
    this.file = file;
  }

  public GranuleFile file() {
    return file;
  }

  public String location() {
    return file.location();
  }

  /** The data file's name, e.g. {@code ATL03_20181014002445_02350104_006_02.h5} (also when read via references). */
  public String name() {
    String location = file.dataLocation();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** The beam groups present with photon heights, in gt1l…gt3r order; a file with none is not ATL03. */
  public List<String> beams() {
    List<String> beams = new ArrayList<>();
    for (String beam : BEAMS) {
      if (file.hasDataset(heights(beam, "delta_time"))) {
        beams.add(beam);
      }
    }
    if (beams.isEmpty()) {
      throw new IllegalArgumentException(
          location() + ": not an ATL03 granule: no beam group gt1l…gt3r with heights/delta_time");
    }
    return beams;
  }

  /**
   * "strong" or "weak": the beam group's {@code atlas_beam_type} attribute, else from {@code orbit_info/sc_orient}
   * (0, backward: left beams strong; 1, forward: right beams strong), else "unknown" (e.g. sc_orient 2, in transition).
   */
  public String beamStrength(String beam) {
    Object type = file.attribute(beam, "atlas_beam_type");
    if (type != null) {
      String value = scalar(type).toString().trim().toLowerCase(Locale.ROOT);
      if (value.equals("strong") || value.equals("weak")) {
        return value;
      }
    }
    Number orientation = firstNumber("orbit_info/sc_orient");
    return orientation == null || !BeamStrength.isBeam(beam)
        ? BeamStrength.UNKNOWN
        : BeamStrength.of(beam, orientation.intValue());
  }

  /**
   * The granule's orbit numbers and time base, read together: {@code orbit_info/rgt} and
   * {@code orbit_info/cycle_number} (null when the file has no orbit_info) and
   * {@code ancillary_data/atlas_sdp_gps_epoch} (the mission's constant 1198800018 s when absent).
   */
  public record Orbit(Integer rgt, Integer cycle, double sdpGpsEpoch) {}

  public Orbit orbit() {
    Number[] values = firstNumbers(List.of("orbit_info/rgt", "orbit_info/cycle_number",
        "ancillary_data/atlas_sdp_gps_epoch"));
    return new Orbit(values[0] == null ? null : values[0].intValue(), values[1] == null ? null : values[1].intValue(),
        values[2] == null ? AtlasSdpTime.ATLAS_SDP_GPS_EPOCH : values[2].doubleValue());
  }

  /** {@code orbit_info/sc_orient} (0 backward, 1 forward, 2 in transition), or null when the file has none. */
  public Integer scOrient() {
    Number orientation = firstNumber("orbit_info/sc_orient");
    return orientation == null ? null : orientation.intValue();
  }

  /** Photons of the beam: the rows of {@code heights/delta_time}. */
  public long photons(String beam) {
    return file.dataset(heights(beam, "delta_time")).rows();
  }

  public static String heights(String beam, String dataset) {
    return beam + "/heights/" + dataset;
  }

  public static String geolocation(String beam, String dataset) {
    return beam + "/geolocation/" + dataset;
  }

  /** The dataset of a beam, with an error naming the file and all the datasets it lacks. */
  public DatasetInfo require(String beam, List<String> paths) {
    List<String> missing = new ArrayList<>();
    for (String path : paths) {
      if (!file.hasDataset(path)) {
        missing.add("/" + path);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          location() + ": not a complete ATL03 granule: beam " + beam + " lacks " + String.join(", ", missing));
    }
    return file.dataset(paths.get(0));
  }

  /** What of a segment index a scan needs: positions for a box, times for a window, ids for segment_id. */
  public record SegmentParts(boolean positions, boolean times, boolean ids) {
    public static final SegmentParts ALL = new SegmentParts(true, true, true);
  }

  /** Reads the beam's whole segment index and checks it against the photon count. */
  public SegmentIndex segmentIndex(String beam) throws IOException {
    return segmentIndex(beam, SegmentParts.ALL);
  }

  /**
   * Reads the parts of the beam's segment index a scan needs (segment_ph_cnt always; the segment-rate datasets
   * are a granule's largest metadata read when planning) and checks it against the photon count.
   */
  public SegmentIndex segmentIndex(String beam, SegmentParts parts) throws IOException {
    return segmentIndex(beam, parts, null, 0);
  }

  /**
   * As {@link #segmentIndex(String, SegmentParts)}, read together (one pass over the chunks of all the datasets
   * needed) and, for a {@code box} pruned with {@code marginMeters}, latitude first: reference_photon_lon is read only
   * for the segments whose latitude lets longitude decide ({@link PhotonPruning#longitudeDecides}); the others hold 0,
   * which gives {@link PhotonPruning} the same answer as their true longitude.
   */
  public SegmentIndex segmentIndex(String beam, SegmentParts parts, GeoBox box, double marginMeters)
      throws IOException {
    String counts = geolocation(beam, "segment_ph_cnt");
    String lat = geolocation(beam, "reference_photon_lat");
    String lon = geolocation(beam, "reference_photon_lon");
    String time = geolocation(beam, "delta_time");
    List<String> required = new ArrayList<>(List.of(counts));
    if (parts.positions()) {
      required.addAll(List.of(lat, lon));
    }
    if (parts.times()) {
      required.add(time);
    }
    require(beam, required);
    String segmentIdPath = geolocation(beam, "segment_id");
    boolean ids = parts.ids() && file.hasDataset(segmentIdPath);
    long segments = file.dataset(counts).rows();
    List<String> together = new ArrayList<>(List.of(counts));
    if (ids) {
      together.add(segmentIdPath);
    }
    if (parts.positions()) {
      together.add(lat);
      if (box == null) {
        together.add(lon);
      }
    }
    if (parts.times()) {
      together.add(time);
    }
    for (String path : together) {
      if (file.dataset(path).rows() != segments) {
        throw new IllegalArgumentException(file.dataset(path).describe() + " has " + file.dataset(path).rows()
            + " rows, but /" + counts + " has " + segments + ": not ATL03 as expected");
      }
    }
    List<double[]> values = file.readRowsAsDoubles(together, 0, segments);
    int next = 0;
    int[] countValues = ints(values.get(next++));
    int[] idValues = ids ? ints(values.get(next++)) : null;
    double[] latValues = parts.positions() ? values.get(next++) : null;
    double[] lonValues = parts.positions() && box == null ? values.get(next++) : null;
    double[] timeValues = parts.times() ? values.get(next) : null;
    if (parts.positions() && box != null) {
      lonValues = longitudesDeciding(lon, latValues, box, marginMeters);
    }
    SegmentIndex index = new SegmentIndex(idValues, countValues, latValues, lonValues, timeValues);
    long photons = photons(beam);
    if (index.photons() != photons) {
      throw new IllegalArgumentException(
          location() + ": " + beam + " is inconsistent: sum(/" + counts + ") = " + index.photons()
              + " but /" + heights(beam, "delta_time") + " has " + photons + " photons");
    }
    return index;
  }

  /**
   * reference_photon_lon where {@link PhotonPruning#longitudeDecides}, 0 elsewhere: the runs of such segments are read,
   * runs that share a chunk read as one.
   */
  private double[] longitudesDeciding(String lon, double[] lat, GeoBox box, double marginMeters) throws IOException {
    DatasetInfo info = file.dataset(lon);
    if (info.rows() != lat.length) {
      throw new IllegalArgumentException(info.describe() + " has " + info.rows() + " rows, but the latitudes "
          + lat.length + ": not ATL03 as expected");
    }
    long chunkRows = info.chunkShape().length == 0 ? Math.max(1, lat.length) : info.chunkShape()[0];
    double[] values = new double[lat.length];
    for (PhotonPruning.SegmentRows run : PhotonPruning.longitudeRuns(lat, 0, chunkRows, box, marginMeters)) {
      double[] read = file.readRowsAsDoubles(List.of(lon), run.start(), run.end()).get(0);
      System.arraycopy(read, 0, values, run.start(), read.length);
    }
    return values;
  }

  private static int[] ints(double[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = (int) values[i];
    }
    return ints;
  }

  private Number firstNumber(String path) {
    return firstNumbers(List.of(path))[0];
  }

  /** The first value of each dataset, null for a dataset absent or empty. */
  private Number[] firstNumbers(List<String> paths) {
    List<String> present = paths.stream().filter(file::hasDataset).toList();
    List<double[]> values;
    try {
      values = file.readAllAsDoubles(present);
    } catch (IOException e) {
      throw new IllegalStateException(location() + ": cannot read " + present.stream().map(p -> "/" + p).toList()
          + ": " + e.getMessage(), e);
    }
    Number[] out = new Number[paths.size()];
    for (int i = 0; i < present.size(); i++) {
      double[] v = values.get(i);
      out[paths.indexOf(present.get(i))] = v.length == 0 ? null : v[0];
    }
    return out;
  }

  private static Object scalar(Object data) {
    return data != null && data.getClass().isArray() && Array.getLength(data) > 0 ? Array.get(data, 0) : data;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
