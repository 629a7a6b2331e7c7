package org.atl03.jobs.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.atl03.datasource.flatgeobuf.FgbFeature;
import org.atl03.datasource.flatgeobuf.FgbHeader;
import org.atl03.datasource.flatgeobuf.HitCursor;
import org.atl03.datasource.flatgeobuf.IndexSearch;
import org.atl03.datasource.flatgeobuf.SequentialCursor;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;

/**
 * A FlatGeobuf file: header, every feature in file order (geometry as WKB), and, with an index, a search of the
 * envelope's south-west quarter and its hits: the cursors the flatgeobuf source's partition readers use.
 */
final class FgbTarget extends MutatedFileTarget {


  FgbTarget(Path source, Path workDir, Configuration conf) throws IOException {
    super("flatgeobuf", source, workDir, conf);
    mutateWith(new ByteMutator(original, java.util.List.of(), false));
  }

  @Override
  public Observation read(byte[] bytes) throws Exception {
    Files.write(file, bytes);
    Map<String, Long> rows = new TreeMap<>();
    Map<String, Long> sums = new TreeMap<>();
    try (InputFile in = HadoopInputFile.open(new org.apache.hadoop.fs.Path(file.toUri()), conf)) {
      FgbHeader header = FgbHeader.read(in);
      SequentialCursor all = new SequentialCursor(in, header, header.featuresStart(), in.length(),
          SequentialCursor.DEFAULT_BLOCK);
      count("features", all::next, rows, sums);
      double[] e = header.envelope();
      if (header.hasIndex() && e != null) {
        double midX = (e[0] + e[2]) / 2;
        double midY = (e[1] + e[3]) / 2;
        IndexSearch.Hits hits = IndexSearch.search(in, header, e[0], e[1], midX, midY, 0, header.featuresCount(),
            in.length() - header.featuresStart(), 64 * 1024);
        count("hits", new HitCursor(in, header, hits, 64 * 1024, 8 << 20)::next, rows, sums);
      }
    }
    return new Observation(rows, sums);
  }

  private interface Next {
    FgbFeature next() throws IOException;
  }

  private static void count(String key, Next cursor, Map<String, Long> rows, Map<String, Long> sums)
      throws IOException {
    long n = 0;
    CRC32 crc = new CRC32();
    FgbFeature f;
    while ((f = cursor.next()) != null) {
      n++;
      byte[] wkb = f.hasGeometry() ? f.wkb() : null;
      crc.update(wkb == null ? new byte[] {-1} : wkb);
    }
    rows.put(key, n);
    sums.put(key, crc.getValue());
  }
}
