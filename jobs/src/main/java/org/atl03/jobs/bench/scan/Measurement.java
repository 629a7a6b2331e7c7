package org.atl03.jobs.bench.scan;

import java.util.LinkedHashMap;
import java.util.Map;
import org.atl03.jobs.bench.Timings;

/**
 * One measured benchmark: its timings, the photons it went through, the threads it ran on and, for our source,
 * what the scan reported crossing the storage seam (null where not applicable).
 */
record Measurement(String name, String what, int threads, Timings timings, long photons, Long bytesRead,
    Long readRequests, Long chunksDecoded, Map<String, Object> details) {

  /** Photons per second at the median time. */
  double photonsPerSecond() {
    return photons / timings.median();
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("what", what);
    json.put("threads", threads);
    json.put("seconds", timings.seconds());
    json.put("median_seconds", timings.median());
    json.put("min_seconds", timings.min());
    json.put("max_seconds", timings.max());
    json.put("photons", photons);
    json.put("photons_per_second", photonsPerSecond());
    json.put("bytes_read", bytesRead);
    json.put("read_requests", readRequests);
    json.put("chunks_decoded", chunksDecoded);
    json.putAll(details);
    return json;
  }
}
