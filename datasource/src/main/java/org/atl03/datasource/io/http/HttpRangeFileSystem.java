package org.atl03.datasource.io.http;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.impl.AbstractFSBuilderImpl;
import org.apache.hadoop.fs.impl.OpenFileParameters;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * {@code http:} and {@code https:} as a read-only Hadoop {@link FileSystem} with range reads, so URLs go through the
 * same seam as {@code file:} and {@code s3a:} ({@link org.atl03.datasource.io.HadoopInputFile}): every positional
 * read is one {@code GET} with a {@code Range} header, a file's size one {@code HEAD}. Hadoop's own
 * HttpFileSystem/HttpsFileSystem stream whole files and cannot seek; {@link org.atl03.datasource.io.StorageSchemes}
 * makes this class the {@code fs.http.impl}/{@code fs.https.impl} default. Settings: {@link HttpRangeClient}; the
 * Earthdata token: {@link org.atl03.datasource.io.earthdata.EarthdataToken}. HTTP cannot list: a URL names one file.
 */
public final class HttpRangeFileSystem extends FileSystem {

  private static final long BLOCK_SIZE = 64L << 20; // what Spark would split by; our planner splits by chunks

  private URI uri;
  private HttpRangeClient client;
  private Path workingDirectory;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    this.uri = URI.create(name.getScheme() + "://" + (name.getRawAuthority() == null ? "" : name.getRawAuthority()));
    this.client = HttpRangeClient.from(conf);
    this.workingDirectory = new Path(uri.toString() + "/");
  }

  @Override
  public String getScheme() {
    return uri == null ? "https" : uri.getScheme();
  }

  @Override
  public URI getUri() {
    return uri;
  }

  private URI target(Path path) {
    return makeQualified(path).toUri();
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    Path qualified = makeQualified(path);
    if (qualified.toUri().getRawPath().isEmpty() || qualified.toUri().getRawPath().equals("/")) {
      return new FileStatus(0, true, 1, BLOCK_SIZE, 0, qualified); // a server's root: a directory we cannot list
    }
    HttpRangeClient.Head head = client.head(qualified.toUri());
    statistics.incrementReadOps(1);
    return new FileStatus(head.length(), false, 1, BLOCK_SIZE, head.lastModified(), qualified);
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    return open(getFileStatus(path));
  }

  private FSDataInputStream open(FileStatus status) {
    return new FSDataInputStream(new HttpRangeInputStream(client, status.getPath().toUri(), status.getLen(),
        statistics));
  }

  /** {@code openFile().withFileStatus(s)} opens without a HEAD: the size is known. */
  @Override
  protected CompletableFuture<FSDataInputStream> openFileWithOptions(Path path, OpenFileParameters parameters)
      throws IOException {
    AbstractFSBuilderImpl.rejectUnknownMandatoryKeys(parameters.getMandatoryKeys(), Collections.emptySet(),
        "for " + path);
    FileStatus known = parameters.getStatus();
    FileStatus status = known != null && !known.isDirectory() ? known : getFileStatus(path);
    return CompletableFuture.completedFuture(open(status));
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    FileStatus status = getFileStatus(path);
    if (status.isDirectory()) {
      throw new FileNotFoundException(target(path) + ": HTTP cannot list a directory; name the files");
    }
    return new FileStatus[] {status};
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    throw readOnly(f);
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
    throw readOnly(f);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    throw readOnly(src);
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    throw readOnly(f);
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    throw readOnly(f);
  }

  private IOException readOnly(Path f) {
    return new IOException(Urls.redact(target(f)) + ": " + getScheme() + ": is read-only here");
  }

  @Override
  public void setWorkingDirectory(Path dir) {
    this.workingDirectory = makeQualified(dir);
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDirectory;
  }

  @Override
  public String toString() {
    return "HttpRangeFileSystem[" + uri + "]";
  }
}
