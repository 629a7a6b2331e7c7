package org.atl03.jobs.convert;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** What a conversion wrote: its Parquet data files and their row groups (from the footers), and its bytes. */
public record ConvertedFiles(List<Path> parquetFiles, long bytes, long rows, int rowGroups) {

  /** Every file under {@code dir} counts towards bytes; {@code *.parquet} outside {@code _delta_log} are data. */
  public static ConvertedFiles of(Configuration conf, String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(conf);
    List<Path> parquet = new ArrayList<>();
    long bytes = 0;
    long rows = 0;
    int groups = 0;
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      FileStatus s = it.next();
      bytes += s.getLen();
      if (s.getPath().getName().endsWith(".parquet") && !s.getPath().toString().contains("/_delta_log/")) {
        parquet.add(s.getPath());
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(s, conf))) {
          for (BlockMetaData b : r.getFooter().getBlocks()) {
            rows += b.getRowCount();
            groups++;
          }
        }
      }
    }
    parquet.sort(null);
    return new ConvertedFiles(List.copyOf(parquet), bytes, rows, groups);
  }
}
