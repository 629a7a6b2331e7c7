package org.atl03.datasource.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;

/**
 * An {@link InputFile} over any Hadoop {@link FileSystem} (file:, hdfs:, s3a:, …) using positional
 * {@link FSDataInputStream#readFully(long, byte[], int, int)}.
 *
 * <p>Streams are pooled: a positional read borrows an idle stream or opens a new one. Several stores (S3A among
 * them) serialise positional reads on one stream, so concurrent range reads need one stream each; the pool grows to
 * the number of reads actually in flight and no further.
 *
 * <p>Failures the store's client retried are counted ({@link #storeRetries()}); a read failing with a storage
 * failure ({@link StorageFailures}) is tried once more on a fresh stream; one that still fails is an
 * {@link IOException} naming this file, never short data.
 */
public final class HadoopInputFile implements InputFile {

  private final FileSystem fs;
  private final FileStatus status;
  private final ConcurrentLinkedDeque<FSDataInputStream> idle = new ConcurrentLinkedDeque<>();
  private final LongAdder retriesOfClosedStreams = new LongAdder();
  private final LongAdder ownRetries = new LongAdder();
  private volatile boolean closed;

  private HadoopInputFile(FileSystem fs, FileStatus status) {
    this.fs = fs;
    this.status = status;
  }

  /** Opens {@code path} with the file system its scheme names in {@code conf}. */
  public static HadoopInputFile open(Path path, Configuration conf) throws IOException {
    StorageSchemes.install();
    return open(path.getFileSystem(conf), path);
  }

  /**
   * Opens {@code path} as {@code known} describes it (from an earlier open, e.g. the driver's), asking the store
   * for no status: on S3 and HTTP that saves a HEAD request. Without {@code known}, or when it names another file,
   * this is {@link #open(Path, Configuration)}.
   */
  public static HadoopInputFile open(Path path, Configuration conf, FileStatus known) throws IOException {
    if (known == null || known.isDirectory() || !known.getPath().getName().equals(path.getName())) {
      return open(path, conf);
    }
    StorageSchemes.install();
    FileSystem fs = path.getFileSystem(conf);
    return open(fs instanceof ChecksumFileSystem ? ((ChecksumFileSystem) fs).getRawFileSystem() : fs, known);
  }

  /**
   * Opens {@code path} on {@code fs}. A checksummed local file system is unwrapped to its raw file system: HDF5
   * files carry no .crc side files, and the checksum layer only slows positional reads down.
   */
  public static HadoopInputFile open(FileSystem fs, Path path) throws IOException {
    FileSystem effective = fs instanceof ChecksumFileSystem ? ((ChecksumFileSystem) fs).getRawFileSystem() : fs;
    FileStatus status = effective.getFileStatus(path);
    if (status.isDirectory()) {
      throw new IOException(path + " is a directory, not an HDF5 file");
    }
    return open(effective, status);
  }

  private static HadoopInputFile open(FileSystem effective, FileStatus status) throws IOException {
    HadoopInputFile file = new HadoopInputFile(effective, status);
    file.idle.push(file.openStream()); // fail now, not on first read, if the file cannot be opened
    return file;
  }

  @Override
  public String location() {
    return status.getPath().toString();
  }

  /** What the store told of the file when it was opened. */
  public FileStatus status() {
    return status;
  }

  @Override
  public StoredFile stored() {
    return HadoopStorage.stored(status);
  }

  @Override
  public long length() {
    return status.getLen();
  }

  @Override
  public void readFully(long position, byte[] buf, int off, int len) throws IOException {
    InputFile.checkRange(this, position, buf, off, len);
    if (closed) {
      throw new IOException(location() + " is closed");
    }
    if (len == 0) {
      return;
    }
    try {
      readOnce(position, buf, off, len, false);
    } catch (IOException e) {
      if (!StorageFailures.isStorageFailure(e)) {
        throw e;
      }
      // once more on a fresh stream: s3a 3.3.4 retries a failure inside read(), but not one while skipping
      // forward in an open stream (lazySeek retries only a stream never opened); a fresh stream's first seek is
      // retried under s3a's limits
      ownRetries.increment();
      try {
        readOnce(position, buf, off, len, true);
      } catch (IOException again) {
        again.addSuppressed(e);
        throw again;
      }
    }
  }

  private void readOnce(long position, byte[] buf, int off, int len, boolean fresh) throws IOException {
    FSDataInputStream in = fresh ? null : idle.poll();
    if (in == null) {
      in = openStream();
    }
    boolean healthy = false;
    try {
      in.readFully(position, buf, off, len);
      healthy = true;
    } catch (IOException e) {
      // s3a has retried by now (fs.s3a.retry.limit); the task's error must say which file and which bytes
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw message.contains(location()) ? e : new IOException(location() + ": read of " + len + " bytes at "
          + position + " failed: " + message, e);
    } finally {
      if (healthy && !closed) {
        idle.push(in);
      } else {
        retriesOfClosedStreams.add(readRetries(in));
        in.close(); // a stream that failed may be in an undefined state; never reuse it
      }
    }
  }

  /** s3a's statistic of failed stream reads that it reopened and read again (or gave up on). */
  static final String STREAM_READ_EXCEPTIONS = "stream_read_exceptions";

  private static long readRetries(FSDataInputStream in) {
    IOStatistics stats = IOStatisticsSupport.retrieveIOStatistics(in);
    Long n = stats == null ? null : stats.counters().get(STREAM_READ_EXCEPTIONS);
    return n == null ? 0 : n;
  }

  /**
   * Reads that failed inside the store's client and were retried, over this file's streams so far (s3a's
   * {@value #STREAM_READ_EXCEPTIONS}; 0 for stores that keep no such statistic), plus the reads this file retried
   * on a fresh stream after a storage failure. Requests the AWS SDK retried
   * before a stream saw them are counted at the file system instead ({@code store_io_retry}).
   */
  @Override
  public long storeRetries() {
    long n = retriesOfClosedStreams.sum() + ownRetries.sum();
    for (FSDataInputStream in : idle) {
      n += readRetries(in);
    }
    return n;
  }

  private FSDataInputStream openStream() throws IOException {
    try {
      // random-access read policy for object stores (the key is ignored where unknown); passing the status
      // saves a HEAD request per stream on S3A
      return fs.openFile(status.getPath())
          .withFileStatus(status)
          .opt("fs.option.openfile.read.policy", "random")
          .opt("fs.s3a.experimental.input.fadvise", "random")
          .build()
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted opening " + location());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof UncheckedIOException) {
        throw ((UncheckedIOException) cause).getCause();
      }
      throw new IOException("cannot open " + location(), cause);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    IOException first = null;
    FSDataInputStream in;
    while ((in = idle.poll()) != null) {
      try {
        retriesOfClosedStreams.add(readRetries(in));
        in.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "HadoopInputFile[" + location() + "]";
  }
}
