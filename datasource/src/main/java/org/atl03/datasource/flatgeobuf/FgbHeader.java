package org.atl03.datasource.flatgeobuf;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atl03.datasource.io.InputFile;
import org.wololo.flatgeobuf.generated.Column;
import org.wololo.flatgeobuf.generated.Header;

/**
 * A FlatGeobuf file's header and the byte layout it implies: {@code magic (8) | header size (uint32) | header |
 * packed R-tree index (when index_node_size > 0 and the feature count is known) | size-prefixed features}.
 *
 * @param featuresCount the header's count; 0 means empty or unknown (then there is no index and features run to
 *     the end of the file)
 * @param indexNodeSize 0 when the file has no index
 * @param envelope minX, minY, maxX, maxY, or null
 * @param crsCode the CRS code (EPSG unless {@code crsOrg} says otherwise), 0 when unset
 * @param indexStart offset of the index (the end of the header)
 * @param featuresStart offset of the first feature
 */
public record FgbHeader(
    String name,
    int geometryType,
    boolean hasZ,
    boolean hasM,
    List<FgbColumn> columns,
    long featuresCount,
    int indexNodeSize,
    double[] envelope,
    String crsOrg,
    int crsCode,
    long indexStart,
    long featuresStart)
    implements Serializable {

  static final byte[] MAGIC = {0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00};
  static final int NODE_BYTES = 40;
  /** What the first read fetches: most headers fit, so opening a file is usually one request. */
  static final int FIRST_READ = 16 * 1024;
  /** Larger headers are refused rather than allocated (the spec's reference readers use 10 MB as well). */
  static final int MAX_HEADER = 10 * 1024 * 1024;

  /** One property column. {@code type} is a {@link org.wololo.flatgeobuf.generated.ColumnType} constant. */
  public record FgbColumn(String name, int type, boolean nullable) implements Serializable {}

  /** Whether the file has a packed R-tree index to search. */
  public boolean hasIndex() {
    return indexNodeSize > 0 && featuresCount > 0;
  }

  /** Reads and parses the header of {@code file}: one request when the header is under 16 KiB, else two. */
  public static FgbHeader read(InputFile file) throws IOException {
    long length = file.length();
    if (length < MAGIC.length + 4) {
      throw new IOException(file.location() + ": not a FlatGeobuf file (" + length + " bytes)");
    }
    byte[] first = file.readFully(0, (int) Math.min(length, FIRST_READ));
    if (first[0] != MAGIC[0] || first[1] != MAGIC[1] || first[2] != MAGIC[2]
        || first[4] != MAGIC[4] || first[5] != MAGIC[5] || first[6] != MAGIC[6]) {
      throw new IOException(file.location() + ": not a FlatGeobuf file (magic bytes "
          + Arrays.toString(Arrays.copyOf(first, 8)) + ")");
    }
    if (first[3] != 3) {
      throw new IOException(file.location() + ": FlatGeobuf major version " + first[3] + " is not supported (3)");
    }
    long headerSize = ByteBuffer.wrap(first, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    long indexStart = 12 + headerSize;
    if (headerSize < 4 || headerSize > MAX_HEADER || indexStart > length) {
      throw new IOException(file.location() + ": FlatGeobuf header size " + headerSize + " is invalid (file is "
          + length + " bytes)");
    }
    byte[] headerBytes;
    if (indexStart <= first.length) {
      headerBytes = Arrays.copyOfRange(first, 12, (int) indexStart);
    } else {
      headerBytes = file.readFully(12, (int) headerSize);
    }
    Header h;
    try {
      h = Header.getRootAsHeader(ByteBuffer.wrap(headerBytes).order(ByteOrder.LITTLE_ENDIAN));
      return parse(h, indexStart, length, file.location());
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new IOException(file.location() + ": corrupt FlatGeobuf header: " + e, e);
    }
  }

  private static FgbHeader parse(Header h, long indexStart, long length, String location) throws IOException {
    List<FgbColumn> columns = new ArrayList<>();
    for (int i = 0; i < h.columnsLength(); i++) {
      Column c = h.columns(i);
      columns.add(new FgbColumn(c.name(), c.type(), c.nullable()));
    }
    double[] envelope = null;
    if (h.envelopeLength() >= 4) {
      envelope = new double[] {h.envelope(0), h.envelope(1), h.envelope(2), h.envelope(3)};
    }
    String org = null;
    int code = 0;
    if (h.crs() != null) {
      org = h.crs().org();
      code = h.crs().code();
    }
    long count = h.featuresCount();
    int nodeSize = h.indexNodeSize();
    if (count < 0) {
      throw new IOException(location + ": negative feature count " + count);
    }
    // an index holds at least one 40-byte leaf per feature: a count the file cannot hold is refused before the
    // layout is computed (absurd counts would overflow the index size)
    if (nodeSize > 0 && count > (length - indexStart) / NODE_BYTES) {
      throw new IOException(location + ": the header's feature count " + count + " needs an index larger than the "
          + "file (" + length + " bytes)");
    }
    long indexBytes = nodeSize > 0 && count > 0 ? PackedRTreeLayout.of(count, nodeSize).bytes() : 0;
    long featuresStart = indexStart + indexBytes;
    if (featuresStart > length) {
      throw new IOException(location + ": the index of " + count + " features (node size " + nodeSize
          + ") ends at " + featuresStart + ", past the end of the file (" + length + " bytes)");
    }
    return new FgbHeader(h.name(), h.geometryType(), h.hasZ(), h.hasM(), List.copyOf(columns), count, nodeSize,
        envelope, org, code, indexStart, featuresStart);
  }
}
