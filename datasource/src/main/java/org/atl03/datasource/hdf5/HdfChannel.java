package org.atl03.datasource.hdf5;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.atl03.datasource.io.InputFile;

/**
 * A read-only {@link FileChannel} over an {@link InputFile}, for {@code new io.jhdf.HdfFile(FileChannel)}.
 *
 * <p>jhdf opened from a {@code Path} memory-maps every chunk it touches and runs into the kernel's map count
 * limit on large scans; through this channel nothing is mapped: {@link #map} throws
 * {@link UnsupportedOperationException}, which jhdf answers by falling back to positional reads. Positional reads
 * always fill the buffer up to the end of the file, because jhdf's read loop does not advance its position after a
 * short read. Closing the channel does not close the {@link InputFile}: its owner does.
 */
public final class HdfChannel extends FileChannel {

  private static final int MAX_COPY_CHUNK = 1 << 20;

  private final InputFile file;
  private long position; // guarded by this; only the relative read methods use it

  public HdfChannel(InputFile file) {
    this.file = file;
  }

  public InputFile inputFile() {
    return file;
  }

  @Override
  public int read(ByteBuffer dst, long pos) throws IOException {
    ensureOpen();
    if (pos < 0) {
      throw new IllegalArgumentException("negative position " + pos);
    }
    long available = file.length() - pos;
    if (available <= 0) {
      return dst.hasRemaining() ? -1 : 0;
    }
    int n = (int) Math.min(dst.remaining(), available);
    if (n == 0) {
      return 0;
    }
    if (dst.hasArray()) {
      file.readFully(pos, dst.array(), dst.arrayOffset() + dst.position(), n);
      dst.position(dst.position() + n);
    } else {
      int done = 0;
      byte[] tmp = new byte[Math.min(n, MAX_COPY_CHUNK)];
      while (done < n) {
        int m = Math.min(tmp.length, n - done);
        file.readFully(pos + done, tmp, 0, m);
        dst.put(tmp, 0, m);
        done += m;
      }
    }
    return n;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public synchronized long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      int n = read(dsts[i]);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
    }
    return total;
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized FileChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return file.length();
  }

  @Override
  public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
    ensureOpen();
    long end = Math.min(file.length(), pos + count);
    long done = 0;
    while (pos + done < end) {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_COPY_CHUNK, end - pos - done));
      read(buf, pos + done);
      buf.flip();
      while (buf.hasRemaining()) {
        done += target.write(buf);
      }
    }
    return done;
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long pos, long size) {
    throw new UnsupportedOperationException("memory mapping is disabled for " + file.location()
        + ": HDF5 data is read with positional reads");
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long pos) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long pos, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) {
    // nothing is ever written
  }

  @Override
  public FileLock lock(long pos, long size, boolean shared) {
    throw new UnsupportedOperationException("locking is not supported on " + file.location());
  }

  @Override
  public FileLock tryLock(long pos, long size, boolean shared) {
    throw new UnsupportedOperationException("locking is not supported on " + file.location());
  }

  @Override
  protected void implCloseChannel() {
    // the InputFile belongs to whoever opened it
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
  }
}
