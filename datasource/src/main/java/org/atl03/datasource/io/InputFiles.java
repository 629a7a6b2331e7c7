package org.atl03.datasource.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Expands what a user passes as paths (files, directories, globs, on any Hadoop FileSystem) into files. */
public final class InputFiles {

  private InputFiles() {}

  /**
   * Files named by {@code locations}: a file as it is, a directory's files ending in one of {@code suffixes}
   * (hidden and underscore files skipped, as Spark does), a glob's matches; sorted, without duplicates.
   *
   * @throws FileNotFoundException naming the location that matched nothing
   */
  public static List<String> expand(Configuration conf, List<String> locations, List<String> suffixes)
      throws IOException {
    return statuses(conf, locations, suffixes).stream().map(s -> s.getPath().toString()).toList();
  }

  /**
   * The files of {@link #expand}, as the store described them while listing: opening one with its status
   * ({@link HadoopInputFile#open(Path, Configuration, FileStatus)}) asks the store nothing more.
   */
  public static List<FileStatus> statuses(Configuration conf, List<String> locations, List<String> suffixes)
      throws IOException {
    StorageSchemes.install();
    TreeMap<String, FileStatus> files = new TreeMap<>();
    for (String location : locations) {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new FileNotFoundException("no such file, directory or glob match: " + location);
      }
      for (FileStatus match : matches) {
        if (!match.isDirectory()) {
          files.putIfAbsent(match.getPath().toString(), match);
          continue;
        }
        for (FileStatus child : fs.listStatus(match.getPath())) {
          String name = child.getPath().getName();
          if (child.isFile() && !name.startsWith(".") && !name.startsWith("_")
              && suffixes.stream().anyMatch(name::endsWith)) {
            files.putIfAbsent(child.getPath().toString(), child);
          }
        }
      }
    }
    return new ArrayList<>(files.values());
  }
}
