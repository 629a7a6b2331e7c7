package org.atl03.jobs;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Computes {@link BeamSummary}s with one Spark task per granule. */
final class BeamSummaries {

  static final List<String> BEAMS = List.of("gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r");

  private BeamSummaries() {}

  /** Computes, prints and checks the summaries; the exit code is 1 when a beam breaks ATL03's count rule. */
  static int scanAndPrint(SparkSession session, List<String> locations, PrintStream out) {
    long started = System.nanoTime();
    List<BeamSummary> summaries = compute(session, locations);
    BeamSummary.print(summaries, out);
    out.printf("scanned in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return summaries.stream().allMatch(BeamSummary::consistent) ? 0 : 1;
  }

  static List<BeamSummary> compute(SparkSession session, List<String> locations) {
    List<String> files = expand(session.sparkContext().hadoopConfiguration(), locations);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no .h5 granules found in " + locations);
    }
    List<BeamSummary> summaries =
        new JavaSparkContext(session.sparkContext())
            .parallelize(files, files.size())
            .flatMap(file -> summarize(file).iterator())
            .collect();
    List<BeamSummary> sorted = new ArrayList<>(summaries);
    sorted.sort(Comparator.comparing(BeamSummary::granule).thenComparing(BeamSummary::beam));
    return sorted;
  }

  /** Files, directories (their *.h5) and globs, as fully qualified Hadoop paths. */
  static List<String> expand(Configuration conf, List<String> locations) {
    List<String> files = new ArrayList<>();
    try {
      for (String location : locations) {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new IllegalArgumentException("no such granule or directory: " + location);
        }
        for (FileStatus match : matches) {
          if (match.isDirectory()) {
            for (FileStatus child : fs.listStatus(match.getPath())) {
              if (child.isFile() && child.getPath().getName().endsWith(".h5")) {
                files.add(child.getPath().toString());
              }
            }
          } else {
            files.add(match.getPath().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    return files;
  }

  static List<BeamSummary> summarize(String file) throws IOException {
    URI uri = URI.create(file);
    if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
      throw new IllegalArgumentException(file + ": the minimal scan reads local files only");
    }
    String granule = Paths.get(uri.getPath()).getFileName().toString();
    List<BeamSummary> beams = new ArrayList<>();
    // A FileChannel, not a Path: HdfFile(Path) memory-maps every chunk. jhdf's close() fails on a
    // channel-backed file, so the channel is what gets closed.
    try (FileChannel channel = FileChannel.open(Paths.get(uri.getPath()), StandardOpenOption.READ)) {
      HdfFile hdf = new HdfFile(channel);
      for (String beam : BEAMS) {
        Node group = hdf.getChildren().get(beam);
        if (group == null) {
          continue;
        }
        float[] hPh = (float[]) dataset(hdf, file, beam + "/heights/h_ph").getDataFlat();
        int[] segmentPhotons = (int[]) dataset(hdf, file, beam + "/geolocation/segment_ph_cnt").getDataFlat();
        double hPhSum = 0;
        for (float h : hPh) {
          hPhSum += h;
        }
        long segmentPhotonSum = 0;
        for (int count : segmentPhotons) {
          segmentPhotonSum += count;
        }
        beams.add(
            new BeamSummary(
                granule, beam, beamStrength(group), hPh.length, segmentPhotons.length, segmentPhotonSum, hPhSum));
      }
    }
    if (beams.isEmpty()) {
      throw new IllegalArgumentException(file + ": no ATL03 beam groups (gt1l…gt3r)");
    }
    return beams;
  }

  private static Dataset dataset(HdfFile hdf, String file, String path) {
    try {
      return hdf.getDatasetByPath(path);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not ATL03, dataset /" + path + " is missing", e);
    }
  }

  private static String beamStrength(Node group) {
    Attribute type = group.getAttribute("atlas_beam_type");
    return type == null ? "unknown" : String.valueOf(type.getData()).trim();
  }
}
