package org.atl03.datasource.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;

/**
 * A read-only file with positional reads: the byte seam between storage (local disk, HDFS, S3 …) and the HDF5
 * layer. Implementations must allow concurrent {@link #readFully} calls from several threads.
 */
public interface InputFile extends Closeable {

  /** Where the bytes come from, for messages and metrics (a URI or path). */
  String location();

  /** The file length in bytes, known when the file was opened. */
  long length();

  /** The file as its store described it on opening, for opening it again without asking (see {@link Storage}). */
  default StoredFile stored() {
    return new StoredFile(location(), length(), null);
  }

  /** Reads the store's client retried after a failure, so far (0 where a store does not say). */
  default long storeRetries() {
    return 0;
  }

  /**
   * Reads exactly {@code len} bytes starting at {@code position} into {@code buf[off, off + len)}.
   *
   * @throws EOFException if the file ends before {@code position + len}
   */
  void readFully(long position, byte[] buf, int off, int len) throws IOException;

  /** Convenience: reads {@code len} bytes at {@code position} into a new array. */
  default byte[] readFully(long position, int len) throws IOException {
    byte[] buf = new byte[len];
    readFully(position, buf, 0, len);
    return buf;
  }

  /** Shared argument check so every implementation fails the same way on bad ranges. */
  static void checkRange(InputFile file, long position, byte[] buf, int off, int len) throws EOFException {
    if (off < 0 || len < 0 || off + len > buf.length || position < 0) {
      throw new IndexOutOfBoundsException(
          "position " + position + ", off " + off + ", len " + len + ", buffer " + buf.length);
    }
    if (position + len > file.length()) {
      throw new EOFException(file.location() + ": read of " + len + " bytes at " + position
          + " goes past the end of the file (" + file.length() + " bytes)");
    }
  }
}
