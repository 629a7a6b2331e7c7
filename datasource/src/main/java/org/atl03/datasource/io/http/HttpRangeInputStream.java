package org.atl03.datasource.io.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileSystem;

/**
 * A stream over one URL: every positional read is one range GET of exactly the bytes asked for (no read-ahead: the
 * HDF5 layer already reads whole metadata blocks and coalesced chunk runs). Sequential reads go through a small
 * buffer so byte-at-a-time callers do not issue a request per byte. Positional reads are thread-safe.
 */
final class HttpRangeInputStream extends FSInputStream {

  private static final int SEQUENTIAL_BUFFER = 1 << 20;

  private final HttpRangeClient client;
  private final URI uri;
  private final long length;
  private final FileSystem.Statistics statistics;
  private byte[] buffer = new byte[0];
  private long bufferStart;
  private long pos;
  private volatile boolean closed;

  HttpRangeInputStream(HttpRangeClient client, URI uri, long length, FileSystem.Statistics statistics) {
    this.client = client;
    this.uri = uri;
    this.length = length;
    this.statistics = statistics;
  }

  @Override
  public void readFully(long position, byte[] buf, int off, int len) throws IOException {
    checkOpen();
    if (position < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + position);
    }
    if (position + len > length) {
      throw new EOFException(Urls.redact(uri) + ": read of " + len + " bytes at " + position + " goes past the end ("
          + length + " bytes)");
    }
    fetch(position, buf, off, len);
  }

  @Override
  public int read(long position, byte[] buf, int off, int len) throws IOException {
    checkOpen();
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - position);
    fetch(position, buf, off, n);
    return n;
  }

  private void fetch(long position, byte[] buf, int off, int len) throws IOException {
    client.read(uri, position, buf, off, len);
    if (statistics != null) {
      statistics.incrementReadOps(1);
      statistics.incrementBytesRead(len);
    }
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] buf, int off, int len) throws IOException {
    checkOpen();
    if (len == 0) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    if (pos < bufferStart || pos >= bufferStart + buffer.length) {
      int n = (int) Math.min(Math.max(len, SEQUENTIAL_BUFFER), length - pos);
      byte[] fresh = new byte[n];
      fetch(pos, fresh, 0, n);
      buffer = fresh;
      bufferStart = pos;
    }
    int from = (int) (pos - bufferStart);
    int n = Math.min(len, buffer.length - from);
    System.arraycopy(buffer, from, buf, off, n);
    pos += n;
    return n;
  }

  @Override
  public synchronized void seek(long target) throws IOException {
    checkOpen();
    if (target < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + target);
    }
    if (target > length) {
      throw new EOFException(FSExceptionMessages.CANNOT_SEEK_PAST_EOF + ": " + target + " in " + Urls.redact(uri));
    }
    pos = target;
  }

  @Override
  public synchronized long getPos() {
    return pos;
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }

  @Override
  public synchronized int available() throws IOException {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, length - pos);
  }

  @Override
  public void close() {
    closed = true;
    buffer = new byte[0];
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + Urls.redact(uri));
    }
  }
}
