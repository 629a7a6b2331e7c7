package org.atl03.jobs.bench.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atl03.jobs.bench.Timings;

/** What became of a cell: measured, not applicable, could not run here (with the reason), or failed. */
record CellResult(Cell cell, Status status, String reason, Measured measured) {

  enum Status {
    OK("ok"), NOT_APPLICABLE("n/a"), COULD_NOT_RUN("could not run"), FAILED("failed");

    final String label;

    Status(String label) {
      this.label = label;
    }
  }

  /** One timed repetition: wall time, whether it was the cold one, and what it read (null: not counted). */
  record Repetition(double seconds, boolean cold, boolean pageCacheDropped, Long bytesRead, Long requests) {
    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("seconds", seconds);
      json.put("cold", cold);
      json.put("page_cache_dropped", pageCacheDropped);
      json.put("bytes_read", bytesRead);
      json.put("requests", requests);
      return json;
    }
  }

  /**
   * The query's result as a cell computed it: photons, mean h_ph (reported, not compared: float sums depend on
   * order) and per column the checksum (hex of the sum mod 2^64 of the per-photon hashes).
   */
  record QueryResult(long photons, Double meanHPh, Map<String, String> checksums) {
    boolean agreesWith(QueryResult other) {
      return photons == other.photons && checksums.equals(other.checksums);
    }

    /** The columns whose checksums differ from {@code other}'s (the count as "photons"). */
    List<String> differences(QueryResult other) {
      List<String> out = new ArrayList<>();
      if (photons != other.photons) {
        out.add("photons " + photons + " vs " + other.photons);
      }
      for (Map.Entry<String, String> e : checksums.entrySet()) {
        if (!e.getValue().equals(other.checksums.get(e.getKey()))) {
          out.add(e.getKey());
        }
      }
      return out;
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("photons", photons);
      json.put("mean_h_ph", meanHPh);
      json.put("checksums", checksums);
      return json;
    }
  }

  /** A measured cell: its repetitions, result, and which counters its bytes and requests come from. */
  record Measured(List<Repetition> repetitions, QueryResult result, String bytesCounter, String requestsCounter,
      Map<String, Object> details) {

    Timings timings() {
      return new Timings(repetitions.stream().map(Repetition::seconds).toList());
    }

    Double coldSeconds() {
      return repetitions.get(0).seconds();
    }

    /** The median of the warm repetitions (the cold one alone when there is only one). */
    double warmMedian() {
      List<Double> warm = repetitions.stream().filter(r -> !r.cold()).map(Repetition::seconds).toList();
      return warm.isEmpty() ? repetitions.get(0).seconds() : new Timings(warm).median();
    }

    /** Bytes and requests of the last repetition (warm when there are several). */
    Repetition last() {
      return repetitions.get(repetitions.size() - 1);
    }
  }

  static CellResult ok(Cell cell, Measured measured) {
    return new CellResult(cell, Status.OK, null, measured);
  }

  static CellResult notApplicable(Cell cell, String reason) {
    return new CellResult(cell, Status.NOT_APPLICABLE, reason, null);
  }

  static CellResult couldNotRun(Cell cell, String reason) {
    return new CellResult(cell, Status.COULD_NOT_RUN, reason, null);
  }

  static CellResult failed(Cell cell, String reason) {
    return new CellResult(cell, Status.FAILED, reason, null);
  }
}
