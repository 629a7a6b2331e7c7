package org.atl03.jobs;

import java.io.PrintStream;
import java.util.List;

/** One beam of one granule: what `scan` prints. */
record BeamSummary(String granule, String beam, String strength, long photons, long segments, double hPhSum) {

  double hPhMean() {
    return photons == 0 ? Double.NaN : hPhSum / photons;
  }

  static void print(List<BeamSummary> summaries, PrintStream out) {
    out.printf("%-40s %-5s %-7s %12s %10s %12s%n", "granule", "beam", "beam", "photons", "segments", "h_ph mean");
    long photons = 0;
    for (BeamSummary s : summaries) {
      out.printf("%-40s %-5s %-7s %12d %10d %12.3f%n",
          s.granule(), s.beam(), s.strength(), s.photons(), s.segments(), s.hPhMean());
      photons += s.photons();
    }
    long granules = summaries.stream().map(BeamSummary::granule).distinct().count();
    out.printf("total: %d photons in %d beams of %d granule(s)%n", photons, summaries.size(), granules);
  }
}
