package org.atl03.jobs.bench.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.kerchunk.References;
import org.atl03.datasource.kerchunk.RefsParser;

/**
 * What planning a scan of kerchunk refs may read: the JSON (one request) and stored chunks of the small datasets
 * the planner reads as data (each beam's segment index, orbit_info and ancillary_data scalars), never HDF5
 * metadata. A run's planning reads are checked against that bound.
 */
final class RefsPlanning {

  private static final List<String> SEGMENT_INDEX = List.of("segment_id", "segment_ph_cnt", "reference_photon_lat",
      "reference_photon_lon", "delta_time");

  private RefsPlanning() {}

  static Map<String, Object> of(Path refsFile, Measurement scan) throws IOException {
    byte[] json = Files.readAllBytes(refsFile);
    References refs = RefsParser.parse(json, refsFile.toString());
    long chunks = 0;
    long bytes = 0;
    for (String array : refs.arrays()) {
      if (!plannerReads(array)) {
        continue;
      }
      for (String key : refs.chunkKeys(array)) {
        if (refs.get(key) instanceof References.Range range) {
          chunks++;
          bytes += range.length();
        }
      }
    }
    long requests = (Long) scan.details().get("planning_read_requests");
    long read = (Long) scan.details().get("planning_bytes_read");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("refs_json_bytes", (long) json.length);
    out.put("planning_chunk_refs_readable", chunks);
    out.put("planning_chunk_bytes_readable", bytes);
    // one JSON read plus at most the readable chunks, in requests and bytes: anything more would be HDF5 metadata
    out.put("planning_reads_only_json_and_chunks", requests <= 1 + chunks && read <= json.length + bytes);
    return out;
  }

  private static boolean plannerReads(String array) {
    if (array.startsWith("orbit_info/") || array.startsWith("ancillary_data/")) {
      return true;
    }
    for (String beam : Atl03Granule.BEAMS) {
      for (String dataset : SEGMENT_INDEX) {
        if (array.equals(beam + "/geolocation/" + dataset)) {
          return true;
        }
      }
    }
    return false;
  }
}
