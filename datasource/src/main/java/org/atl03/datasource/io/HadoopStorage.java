package org.atl03.datasource.io;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
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
  public InputFile openVersion(String location, FileVersion version) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus expected;
    if (fs.getClass().getName().equals("org.apache.hadoop.fs.s3a.S3AFileSystem")) {
      // S3A sends the ETag as a condition of every GET: a changed object fails the read, at no extra request
      expected = S3aStatus.of(version, fs.makeQualified(path), fs.getDefaultBlockSize(path));
    } else {
      expected = new FileStatus(version.length(), false, 1, fs.getDefaultBlockSize(path),
          version.modificationTime(), fs.makeQualified(path));
    }
    if (isLocal(location)) {
      checkVersion(location, version); // a local stat: no round trip
    }
    return HadoopInputFile.open(path, conf, expected);
  }

  @Override
  public void checkVersion(String location, FileVersion version) throws IOException {
    Path path = new Path(location);
    FileStatus actual;
    try {
      actual = path.getFileSystem(conf).getFileStatus(path);
    } catch (java.io.FileNotFoundException e) {
      throw new StaleFileException(location + " is gone (it was " + version.describe() + ")", e);
    }
    FileVersion now = version(actual);
    if (!now.sameAs(version)) {
      throw new StaleFileException(location + " changed: it is " + now.describe() + ", it was "
          + version.describe());
    }
  }

  @Override
  public FileVersion version(StoredFile file) {
    if (file.description() instanceof FileStatus status) {
      return version(status);
    }
    return new FileVersion(file.length(), 0, null);
  }

  static FileVersion version(FileStatus status) {
    String etag = status instanceof EtagSource source ? source.getEtag() : null;
    return new FileVersion(status.getLen(), status.getModificationTime(), etag == null || etag.isEmpty() ? null : etag);
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

  /** Apart, so that hadoop-aws (provided) is loaded only when an s3a: file is opened. */
  private static final class S3aStatus {
    static FileStatus of(FileVersion version, Path path, long blockSize) {
      return new org.apache.hadoop.fs.s3a.S3AFileStatus(version.length(), version.modificationTime(), path,
          blockSize, null, version.etag(), null);
    }
  }
}
