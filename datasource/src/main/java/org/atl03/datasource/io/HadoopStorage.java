package org.atl03.datasource.io;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/** {@link Storage} on the Hadoop FileSystem each location's scheme names in a {@link Configuration}. */
public final class HadoopStorage implements Storage {

  private final Configuration conf;

  public HadoopStorage(Configuration conf) {
    StorageSchemes.install();
    this.conf = conf;
  }

  @Override
  public InputFile open(String location) throws IOException {
    return HadoopInputFile.open(new Path(location), conf);
  }

  @Override
  public InputFile open(StoredFile file) throws IOException {
    FileStatus known = file.description() instanceof FileStatus status ? status : null;
    return HadoopInputFile.open(new Path(file.location()), conf, known);
  }

  @Override
  public List<StoredFile> list(List<String> locations, List<String> suffixes) throws IOException {
    return InputFiles.statuses(conf, locations, suffixes).stream().map(HadoopStorage::stored).toList();
  }

  @Override
  public boolean exists(String location) throws IOException {
    Path path = new Path(location);
    return path.getFileSystem(conf).exists(path);
  }

  @Override
  public String qualify(String location) throws IOException {
    return qualify(new Path(location)).toString();
  }

  @Override
  public String resolve(String dir, String relative) throws IOException {
    return qualify(new Path(new Path(dir), relative)).toString();
  }

  @Override
  public String parent(String location) {
    Path parent = new Path(location).getParent();
    return parent == null ? location : parent.toString();
  }

  @Override
  public boolean isLocal(String location) {
    String scheme = new Path(location).toUri().getScheme();
    return scheme == null || scheme.equals("file");
  }

  /** What a Hadoop store told of a file, for tasks to open it without asking again. */
  static StoredFile stored(FileStatus status) {
    return new StoredFile(status.getPath().toString(), status.getLen(), status);
  }

  private Path qualify(Path path) throws IOException {
    return path.getFileSystem(conf).makeQualified(path);
  }
}
