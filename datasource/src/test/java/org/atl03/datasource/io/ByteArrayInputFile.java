package org.atl03.datasource.io;

import java.io.IOException;

/** An in-memory {@link InputFile} for tests; counts requests so callers can assert how a layer reads. */
public final class ByteArrayInputFile implements InputFile {
  private final byte[] data;
  private final String name;
  private boolean closed;

  public ByteArrayInputFile(String name, byte[] data) {
    this.name = name;
    this.data = data;
  }

  @Override
  public String location() {
    return name;
  }

  @Override
  public long length() {
    return data.length;
  }

  @Override
  public void readFully(long position, byte[] buf, int off, int len) throws IOException {
    InputFile.checkRange(this, position, buf, off, len);
    System.arraycopy(data, (int) position, buf, off, len);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
