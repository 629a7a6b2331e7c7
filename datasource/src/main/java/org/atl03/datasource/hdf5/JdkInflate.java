package org.atl03.datasource.hdf5;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** {@link ZlibInflate} by the JDK's {@link Inflater} (zlib), reused from stream to stream. */
final class JdkInflate implements ZlibInflate {

  private final Inflater inflater = new Inflater();
  private final byte[] probe = new byte[1];

  @Override
  public int inflate(byte[] in, int off, int len, byte[] out, int outOff, int outLen) throws IOException {
    inflater.reset();
    inflater.setInput(in, off, len);
    try {
      int n = 0;
      while (!inflater.finished()) {
        if (n == outLen) {
          // full: the stream may still end here (zlib checks its trailer on the next call) or need more room
          if (inflater.inflate(probe, 0, 1) > 0) {
            return -1;
          }
          if (inflater.finished()) {
            break;
          }
        } else {
          int k = inflater.inflate(out, outOff + n, outLen - n);
          n += k;
          if (k > 0 || inflater.finished()) {
            continue;
          }
        }
        if (inflater.needsInput() || inflater.needsDictionary()) {
          throw new IOException("deflate stream is truncated (" + len + " stored bytes)");
        }
      }
      return n;
    } catch (DataFormatException e) {
      throw new IOException("corrupt deflate stream: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    inflater.end();
  }
}
