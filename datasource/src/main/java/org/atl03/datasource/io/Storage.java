package org.atl03.datasource.io;

import java.io.IOException;
import java.util.List;

/**
 * Where files live, as the layers above the byte seam see it: locations are strings (URLs or paths), files are
 * {@link InputFile}s. {@link HadoopStorage} serves it from any Hadoop FileSystem (file:, s3a:, https:, …).
 */
public interface Storage {

  /** Opens the file at {@code location}, asking the store for its size. */
  InputFile open(String location) throws IOException;

  /** Opens a file as an earlier listing or open described it, asking the store nothing. */
  InputFile open(StoredFile file) throws IOException;

  /**
   * Opens a file expected to be at {@code version}, asking the store nothing: where the store can tell a change
   * without a round trip (local disk's status, S3's ETag condition on each read) a changed file fails with
   * {@link StaleFileException}.
   */
  InputFile openVersion(String location, FileVersion version) throws IOException;

  /**
   * Asks the store whether the file is still at {@code version} (one status request), failing with
   * {@link StaleFileException} when it is not: for a reader that will read nothing of the file, whose reads would
   * otherwise carry the check.
   */
  void checkVersion(String location, FileVersion version) throws IOException;

  /** The version of a listed or opened file. */
  FileVersion version(StoredFile file);

  /**
   * The files {@code locations} name: a file as it is, a directory's files ending in one of {@code suffixes} (hidden
   * and underscore files skipped, as Spark does), a glob's matches; sorted by location, without duplicates.
   *
   * @throws java.io.FileNotFoundException naming the location that matched nothing
   */
  List<StoredFile> list(List<String> locations, List<String> suffixes) throws IOException;

  boolean exists(String location) throws IOException;

  /** {@code location} with its scheme and authority, as listing and opening name it. */
  String qualify(String location) throws IOException;

  /** {@code relative} (a relative path, or an absolute path on the same store) against {@code dir}, qualified. */
  String resolve(String dir, String relative) throws IOException;

  /** The directory holding {@code location}. */
  String parent(String location);

  /** Whether {@code location} is on local disk, where a round trip costs little. */
  boolean isLocal(String location);
}
