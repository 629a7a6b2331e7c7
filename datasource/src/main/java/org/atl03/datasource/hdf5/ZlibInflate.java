package org.atl03.datasource.hdf5;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inflates whole zlib streams (HDF5's deflate filter) into a caller's buffer: libdeflate when the system has it
 * ({@code libdeflate0} on Debian, about 1.8× zlib on ATL03's chunks), else the JDK's zlib. Both give the same bytes
 * and refuse the same streams. System property {@value #PROPERTY} = {@code jdk} forces the JDK's (benchmarks compare
 * the two).
 *
 * <p>Not thread-safe: one per reading thread; {@link #close()} frees its native state.
 */
public interface ZlibInflate extends AutoCloseable {

  String PROPERTY = "atl03.inflater";

  /**
   * Inflates the zlib stream {@code in[off, off + len)} into {@code out[outOff, outOff + outLen)} and returns the
   * bytes written, or -1 when they would be more than {@code outLen} (give it more room and call again). Bytes after
   * the stream's end are ignored.
   *
   * @throws IOException when the stream is corrupt or truncated (the message does not name it: callers do)
   */
  int inflate(byte[] in, int off, int len, byte[] out, int outOff, int outLen) throws IOException;

  /** {@link #inflate(byte[], int, int, byte[], int, int)} into the whole of {@code out}. */
  default int inflate(byte[] in, int off, int len, byte[] out) throws IOException {
    return inflate(in, off, len, out, 0, out.length);
  }

  @Override
  void close();

  /** A new inflater of the implementation this JVM uses (see {@link #implementation()}). */
  static ZlibInflate create() {
    return Implementation.LIBDEFLATE ? new Libdeflate() : new JdkInflate();
  }

  /** A new inflater by the JDK's zlib, whatever this JVM uses. */
  static ZlibInflate jdk() {
    return new JdkInflate();
  }

  /** A new inflater by libdeflate, whatever this JVM uses; fails when libdeflate is not loadable. */
  static ZlibInflate libdeflate() {
    return new Libdeflate();
  }

  /** Which implementation {@link #create()} gives, for the scan's description and the benchmarks. */
  static String implementation() {
    return Implementation.LIBDEFLATE ? "libdeflate" : "jdk-zlib";
  }

  /** Decided once per JVM; the fallback is logged once. */
  final class Implementation {
    private static final Logger LOG = LoggerFactory.getLogger(ZlibInflate.class);
    static final boolean LIBDEFLATE = choose();

    private Implementation() {}

    private static boolean choose() {
      if ("jdk".equals(System.getProperty(PROPERTY))) {
        return false;
      }
      String missing = Libdeflate.unavailableReason();
      if (missing != null) {
        LOG.warn("Inflating chunks with the JDK's zlib, about half libdeflate's speed: {} (Debian: apt-get install "
            + "libdeflate0)", missing);
        return false;
      }
      return true;
    }
  }
}
