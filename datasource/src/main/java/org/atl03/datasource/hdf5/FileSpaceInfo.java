package org.atl03.datasource.hdf5;

import io.jhdf.checksum.ChecksumUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.atl03.datasource.io.InputFile;

/**
 * The file-space strategy an HDF5 file was written with, read from its File Space Info message (type 0x0017) in
 * the superblock extension. With the PAGE strategy ({@code h5repack -S PAGE -G <size>}) HDF5 aggregates metadata
 * into pages of {@link #pageSize()} bytes, so a reader that fetches whole pages gets all metadata in few requests.
 *
 * <p>Only superblock versions 2 and 3 have an extension that can carry the message; versions 0 and 1 (and files
 * without an extension or without the message) use HDF5's default strategy, which is never paged.
 *
 * <p>Layouts follow the HDF5 file format specification (superblock v2/3, version 1 and 2 object headers, File
 * Space Info message version 1, as decoded by H5Ofsinfo.c).
 */
public record FileSpaceInfo(Strategy strategy, boolean persistsFreeSpace, long freeSpaceThreshold, long pageSize) {

  /** H5F_fspace_strategy_t, in its on-disk order. */
  public enum Strategy { FSM_AGGR, PAGE, AGGR, NONE }

  /** What a file without a File Space Info message uses (H5F_FSPACE_STRATEGY_DEF). */
  public static final FileSpaceInfo DEFAULT = new FileSpaceInfo(Strategy.FSM_AGGR, false, 1, 0);

  static final int MESSAGE_TYPE = 0x0017;
  private static final int CONTINUATION_TYPE = 0x0010;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  // an extension holds a handful of small messages; more means a corrupt length, not a bigger header
  private static final int MAX_HEADER_CHUNK = 1 << 20;
  private static final int MAX_CONTINUATIONS = 16;

  public boolean paged() {
    return strategy == Strategy.PAGE && pageSize > 0;
  }

  /**
   * Reads the file-space info of {@code file}, whose superblock starts at {@code superblockOffset} (0, 512,
   * 1024 …). A corrupt superblock or extension is an {@link IOException} naming the file and the structure.
   */
  public static FileSpaceInfo read(InputFile file, long superblockOffset) throws IOException {
    Reader sb = new Reader(file, superblockOffset, Math.min(64, file.length() - superblockOffset), "superblock");
    byte[] signature = sb.bytes(SIGNATURE.length);
    if (!Arrays.equals(signature, SIGNATURE)) {
      throw sb.error("no HDF5 signature");
    }
    int version = sb.u8();
    if (version < 2) {
      return DEFAULT; // v0/v1 predate the extension's file-space messages
    }
    if (version > 3) {
      throw sb.error("unknown superblock version " + version);
    }
    int sizeOfOffsets = sb.size("size of offsets");
    int sizeOfLengths = sb.size("size of lengths");
    sb.u8(); // file consistency flags
    long base = sb.unsigned(sizeOfOffsets);
    long extension = sb.unsigned(sizeOfOffsets);
    sb.unsigned(sizeOfOffsets); // end-of-file address
    sb.unsigned(sizeOfOffsets); // root group object header
    sb.checksum();
    if (extension == UNDEFINED) {
      return DEFAULT;
    }
    return fromExtension(file, base, base + extension, sizeOfOffsets, sizeOfLengths);
  }

  /**
   * Scans the extension's object header (and its continuation chunks) for the File Space Info message. HDF5
   * writes a version 1 header unless the file was created for 1.8+ formats only, then a version 2 ("OHDR") one.
   */
  private static FileSpaceInfo fromExtension(InputFile file, long base, long address, int sizeOfOffsets,
                                             int sizeOfLengths) throws IOException {
    String structure = "superblock extension object header";
    Reader prefix = new Reader(file, address, Math.min(32, file.length() - address), structure);
    Reader chunk;
    long messageBytes;
    boolean v1;
    boolean creationOrder = false;
    if (Arrays.equals(prefix.bytes(4), OHDR)) {
      int version = prefix.u8();
      if (version != 2) {
        throw prefix.error("OHDR object header version " + version + ", expected 2");
      }
      int flags = prefix.u8();
      if ((flags & 0x20) != 0) {
        prefix.skip(16); // access, modification, change and birth times
      }
      if ((flags & 0x10) != 0) {
        prefix.skip(4); // attribute phase change values
      }
      messageBytes = prefix.unsigned(1 << (flags & 0x03));
      creationOrder = (flags & 0x04) != 0;
      v1 = false;
      // chunk 0 is checksummed from the OHDR signature on, so read it from the header's start
      int start = prefix.position();
      chunk = new Reader(file, address, checkedChunk(prefix, start + messageBytes) + 4, structure);
      chunk.skip(start);
    } else {
      prefix.seek(0);
      int version = prefix.u8();
      if (version != 1) {
        throw prefix.error("neither a version 1 object header nor an OHDR one (first byte " + version + ")");
      }
      prefix.skip(7); // reserved, message count, reference count
      messageBytes = prefix.unsigned(4);
      v1 = true;
      chunk = new Reader(file, address, checkedChunk(prefix, 16 + messageBytes), structure);
      chunk.skip(16); // the 12-byte prefix, padded to 8-byte alignment
    }
    long[] continuation = new long[2];
    FileSpaceInfo found = scan(chunk, messageBytes, v1, creationOrder, sizeOfOffsets, sizeOfLengths, continuation);
    for (int hops = 0; found == null && continuation[0] != 0; hops++) {
      if (hops == MAX_CONTINUATIONS) {
        throw chunk.error("more than " + MAX_CONTINUATIONS + " continuation chunks");
      }
      long length = continuation[1];
      Reader next = new Reader(file, base + continuation[0], checkedChunk(chunk, length),
          "superblock extension continuation chunk");
      continuation[0] = 0;
      if (!v1 && !Arrays.equals(next.bytes(4), OCHK)) {
        throw next.error("no OCHK signature");
      }
      // a version 2 continuation's length covers its OCHK signature and checksum
      found = scan(next, v1 ? length : length - 8, v1, creationOrder, sizeOfOffsets, sizeOfLengths, continuation);
      chunk = next;
    }
    return found == null ? DEFAULT : found;
  }

  private static final byte[] OHDR = "OHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] OCHK = "OCHK".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static long checkedChunk(Reader at, long length) throws IOException {
    if (length < 8 || length > MAX_HEADER_CHUNK) {
      throw at.error("header chunk of " + length + " bytes (expected 8 B to " + MAX_HEADER_CHUNK + " B)");
    }
    return length;
  }

  /**
   * Walks the messages of one chunk ({@code messageBytes} long, starting at the reader's position); returns the
   * File Space Info, or null after noting a continuation in {@code continuation} (address, length). Version 1
   * message headers are 8 bytes (u16 type, u16 size, flags, 3 reserved); version 2 ones 4 or 6 (u8 type, u16
   * size, flags, optional u16 creation order), and their chunks end in a checksum.
   */
  private static FileSpaceInfo scan(Reader chunk, long messageBytes, boolean v1, boolean creationOrder,
                                    int sizeOfOffsets, int sizeOfLengths, long[] continuation) throws IOException {
    int headerSize = v1 ? 8 : creationOrder ? 6 : 4;
    int start = chunk.position();
    long end = start + messageBytes;
    if (!v1) {
      // check first, so a corrupt chunk is reported as such rather than as whatever its bytes decode to
      chunk.seek((int) end);
      chunk.checksum();
      chunk.seek(start);
    }
    FileSpaceInfo found = null;
    while (end - chunk.position() >= headerSize) { // fewer bytes left is a gap, not a message
      int type = v1 ? chunk.u16() : chunk.u8();
      int size = chunk.u16();
      chunk.skip(headerSize - (v1 ? 4 : 3));
      if (size > end - chunk.position()) {
        throw chunk.error("message of type " + type + " claims " + size + " bytes, past the end of its chunk");
      }
      int next = chunk.position() + size;
      if (type == MESSAGE_TYPE && found == null) {
        found = message(chunk, size, sizeOfOffsets, sizeOfLengths);
      } else if (type == CONTINUATION_TYPE && continuation[0] == 0) {
        continuation[0] = chunk.unsigned(sizeOfOffsets);
        continuation[1] = chunk.unsigned(sizeOfLengths);
      }
      chunk.seek(next);
    }
    return found;
  }

  /** Decodes one File Space Info message body of {@code size} bytes. */
  static FileSpaceInfo message(Reader r, int size, int sizeOfOffsets, int sizeOfLengths) throws IOException {
    int end = r.position() + size;
    int version = r.u8();
    if (version == 0) {
      // 1.10.0's deprecated form: strategy (old enum) and threshold; paging did not exist yet
      return DEFAULT;
    }
    if (version != 1) {
      throw r.error("File Space Info message version " + version + " (only 0 and 1 are defined)");
    }
    if (r.position() + 2 + 2L * sizeOfLengths + 2 + sizeOfOffsets > end) {
      throw r.error("File Space Info message of " + size + " bytes is too short");
    }
    int strategy = r.u8();
    if (strategy >= Strategy.values().length) {
      throw r.error("unknown file space strategy " + strategy);
    }
    boolean persist = r.u8() != 0;
    long threshold = r.unsigned(sizeOfLengths);
    long pageSize = r.unsigned(sizeOfLengths);
    if (pageSize < 0) {
      throw r.error("file space page size beyond 2^63");
    }
    return new FileSpaceInfo(Strategy.values()[strategy], persist, threshold, pageSize);
  }

  private static final long UNDEFINED = -1L; // all bits set, in any size of offsets once sign-extended

  /** Little-endian fields of one structure, read in one request and bounded by it. */
  static final class Reader {
    private final String location;
    private final String structure;
    private final long address;
    private final ByteBuffer buf;

    Reader(InputFile file, long address, long length, String structure) throws IOException {
      this.location = file.location();
      this.structure = structure;
      this.address = address;
      if (address < 0 || length <= 0 || address + length > file.length()) {
        throw new IOException(location + ": " + structure + " at " + address + " lies outside the file ("
            + file.length() + " bytes)");
      }
      this.buf = ByteBuffer.wrap(file.readFully(address, (int) length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    IOException error(String what) {
      return new IOException(location + ": " + structure + " at " + address + ": " + what);
    }

    int position() {
      return buf.position();
    }

    void seek(int position) throws IOException {
      if (position > buf.limit()) {
        throw truncated();
      }
      buf.position(position);
    }

    void skip(int n) throws IOException {
      seek(buf.position() + n);
    }

    private IOException truncated() {
      return error("truncated (" + buf.limit() + " bytes available)");
    }

    private void need(int n) throws IOException {
      if (buf.remaining() < n) {
        throw truncated();
      }
    }

    byte[] bytes(int n) throws IOException {
      need(n);
      byte[] out = new byte[n];
      buf.get(out);
      return out;
    }

    int u8() throws IOException {
      need(1);
      return Byte.toUnsignedInt(buf.get());
    }

    int u16() throws IOException {
      need(2);
      return Short.toUnsignedInt(buf.getShort());
    }

    /** An unsigned field of 1–8 bytes; all bits set (HDF5's undefined address) reads as -1. */
    long unsigned(int width) throws IOException {
      need(width);
      long v = 0;
      for (int i = 0; i < width; i++) {
        v |= (long) Byte.toUnsignedInt(buf.get()) << (8 * i);
      }
      return width < 8 && v == (1L << (8 * width)) - 1 ? UNDEFINED : v;
    }

    int size(String field) throws IOException {
      int v = u8();
      if (v != 2 && v != 4 && v != 8) {
        throw error(field + " is " + v + " (expected 2, 4 or 8)");
      }
      return v;
    }

    /** Checks the Jenkins lookup3 checksum that follows everything read so far. */
    void checksum() throws IOException {
      int covered = buf.position();
      need(4);
      int stored = buf.getInt();
      int actual = ChecksumUtils.checksum(Arrays.copyOf(buf.array(), covered));
      if (stored != actual) {
        throw error(String.format("checksum mismatch (stored %08x, computed %08x)", stored, actual));
      }
    }
  }
}
