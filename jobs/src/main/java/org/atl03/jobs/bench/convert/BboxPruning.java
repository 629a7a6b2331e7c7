package org.atl03.jobs.bench.convert;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.atl03.jobs.bench.BboxChoice;
import org.atl03.jobs.convert.ConvertedFiles;

/**
 * How much of a format's data a bbox query touched, counted in the units the format prunes by: photons in the chunks
 * decoded (HDF5 and refs: the segment index selects chunks), features decoded (FlatGeobuf: the R-tree selects
 * features), files and row groups (GeoParquet and Delta: file statistics, then Parquet row-group statistics).
 *
 * <p>Files read and rows scanned are the scan node's own metrics. Row groups read is not a Spark metric: it is the
 * number of row groups whose lat_ph/lon_ph statistics intersect the box (those Parquet's filter keeps), checked
 * against the rows the scan returned before Spark's own filter ({@code scanWithinRowGroups}: no more rows than
 * those row groups hold; fewer where Parquet's column indexes skip pages inside them).
 */
record BboxPruning(List<Count> counts, Long rowsScanned, Boolean scanWithinRowGroups) {

  /** {@code read} of {@code total} {@code unit}s. */
  record Count(String unit, long read, long total) {
    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("unit", unit);
      m.put("read", read);
      m.put("total", total);
      return m;
    }

    @Override
    public String toString() {
      return String.format("%,d of %,d %s", read, total, unit);
    }
  }

  /**
   * The counts for one format's query, from its scan metrics and, for Parquet-based outputs, the footers of the
   * Parquet data files under {@code output} (null for the original granule).
   */
  static BboxPruning of(Map<String, Long> scanMetrics, String output, BboxChoice.Box box, long granulePhotons,
      Configuration conf) throws IOException {
    if (scanMetrics.containsKey("chunksDecoded")) {
      return new BboxPruning(List.of(new Count("photons in the chunks decoded",
          scanMetrics.getOrDefault("photonsScanned", 0L), granulePhotons)), null, null);
    }
    if (scanMetrics.containsKey("featuresRead")) {
      return new BboxPruning(List.of(new Count("features (one per photon)", scanMetrics.get("featuresRead"),
          granulePhotons)), null, null);
    }
    if (scanMetrics.containsKey("numFiles") && output != null) {
      ParquetFiles files = ParquetFiles.under(output, box, conf);
      Long rows = scanMetrics.get("numOutputRows");
      List<Count> counts = List.of(new Count("files", scanMetrics.get("numFiles"), files.files),
          new Count("row groups", files.matchingGroups, files.groups));
      return new BboxPruning(counts, rows, rows == null ? null : rows <= files.matchingRows);
    }
    return new BboxPruning(List.of(), null, null);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> list = new ArrayList<>();
    counts.forEach(c -> list.add(c.toJson()));
    m.put("counts", list);
    m.put("rows_scanned", rowsScanned);
    m.put("scan_within_row_groups", scanWithinRowGroups);
    return m;
  }

  /** "2 of 9 files; 4 of 53 row groups", or "–". */
  String summary() {
    if (counts.isEmpty()) {
      return "–";
    }
    List<String> parts = new ArrayList<>();
    counts.forEach(c -> parts.add(c.toString()));
    return String.join("; ", parts);
  }

  /** The Parquet data files of an output (Delta's log excluded) and the row groups the box keeps. */
  private record ParquetFiles(int files, int groups, int matchingGroups, long matchingRows) {

    static ParquetFiles under(String root, BboxChoice.Box box, Configuration conf) throws IOException {
      List<Path> files = ConvertedFiles.of(conf, root).parquetFiles();
      int groups = 0;
      int matching = 0;
      long rows = 0;
      for (Path file : files) {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
          for (BlockMetaData block : r.getFooter().getBlocks()) {
            groups++;
            if (intersects(block, box)) {
              matching++;
              rows += block.getRowCount();
            }
          }
        }
      }
      return new ParquetFiles(files.size(), groups, matching, rows);
    }

    /** Whether the row group's lat_ph/lon_ph min/max can hold a photon of the box (no statistics: it can). */
    private static boolean intersects(BlockMetaData block, BboxChoice.Box box) {
      for (ColumnChunkMetaData c : block.getColumns()) {
        String path = c.getPath().toDotString();
        Statistics<?> s = c.getStatistics();
        if (s == null || !s.hasNonNullValue() || !(path.equals("lat_ph") || path.equals("lon_ph"))) {
          continue;
        }
        double min = ((Number) s.genericGetMin()).doubleValue();
        double max = ((Number) s.genericGetMax()).doubleValue();
        boolean lat = path.equals("lat_ph");
        if (max < (lat ? box.south() : box.west()) || min > (lat ? box.north() : box.east())) {
          return false;
        }
      }
      return true;
    }
  }
}
