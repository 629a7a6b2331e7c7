package org.atl03.datasource.hdf5;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Cleaner;

/**
 * {@link ZlibInflate} by libdeflate's whole-buffer decompressor, called through JNA's direct mapping. The compressed
 * and decompressed bytes pass through native buffers this inflater keeps and grows: one copy in, one copy out, no
 * allocation per chunk.
 */
final class Libdeflate implements ZlibInflate {

  private static final Cleaner CLEANER = Cleaner.create();
  private static final String UNAVAILABLE = register();

  // enum libdeflate_result
  private static final int SUCCESS = 0;
  private static final int INSUFFICIENT_SPACE = 3;

  private static native Pointer libdeflate_alloc_decompressor();

  private static native void libdeflate_free_decompressor(Pointer decompressor);

  private static native int libdeflate_zlib_decompress_ex(Pointer decompressor, Pointer in, long inBytes, Pointer out,
      long outBytesAvailable, Pointer actualInBytes, Pointer actualOutBytes);

  private final Pointer decompressor;
  private final Cleaner.Cleanable freeing;
  private final Memory sizes = new Memory(16); // size_t actual_in, actual_out
  private final Pointer actualOut = sizes.share(8);
  private Memory in = new Memory(64 << 10);
  private Memory out = new Memory(1 << 20);

  Libdeflate() {
    if (UNAVAILABLE != null) {
      throw new IllegalStateException(UNAVAILABLE);
    }
    Pointer d = libdeflate_alloc_decompressor();
    if (d == null) {
      throw new OutOfMemoryError("libdeflate_alloc_decompressor");
    }
    this.decompressor = d;
    this.freeing = CLEANER.register(this, () -> libdeflate_free_decompressor(d)); // also when never closed
  }

  /** Null when libdeflate is loaded, else why not. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  private static String register() {
    Throwable failure = null;
    // Debian ships only the versioned name (libdeflate.so.0) unless libdeflate-dev is installed
    for (String name : new String[] {"deflate", "libdeflate.so.0"}) {
      try {
        Native.register(Libdeflate.class, NativeLibrary.getInstance(name));
        return null;
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        failure = e;
      }
    }
    return "libdeflate is not loadable: " + failure.getMessage();
  }

  @Override
  public int inflate(byte[] src, int off, int len, byte[] dst, int dstOff, int dstLen) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, src.length);
    java.util.Objects.checkFromIndexSize(dstOff, dstLen, dst.length); // native code must not write past dst
    if (in.size() < len) {
      in = new Memory(Math.max(len, in.size() * 2));
    }
    if (out.size() < dstLen) {
      out = new Memory(Math.max(dstLen, out.size() * 2));
    }
    in.write(0, src, off, len);
    int result = libdeflate_zlib_decompress_ex(decompressor, in, len, out, dstLen, sizes, actualOut);
    if (result == INSUFFICIENT_SPACE) {
      return -1;
    }
    if (result != SUCCESS) {
      throw new IOException("corrupt or truncated deflate stream (libdeflate result " + result + ", "
          + len + " stored bytes)");
    }
    int n = Math.toIntExact(actualOut.getLong(0));
    out.read(0, dst, dstOff, n);
    return n;
  }

  @Override
  public void close() {
    freeing.clean();
    in.close();
    out.close();
    sizes.close();
  }
}
