package org.atl03.datasource.flatgeobuf;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.wololo.flatgeobuf.ColumnMeta;
import org.wololo.flatgeobuf.HeaderMeta;
import org.wololo.flatgeobuf.NodeItem;
import org.wololo.flatgeobuf.PackedRTree;
import org.wololo.flatgeobuf.generated.Feature;
import org.wololo.flatgeobuf.generated.Geometry;
import org.wololo.flatgeobuf.generated.GeometryType;

/**
 * Writes a FlatGeobuf file of points with a packed Hilbert R-tree index, streaming, with little heap.
 *
 * <p>Features arrive in any order. Each is encoded at once and appended to a temporary features file, and its x, y
 * and offset to a temporary side file (24 bytes). {@link #finish} then sorts one {@code long} per feature
 * (Hilbert value of the point in the layer's extent, feature number) — the only per-feature data on the heap, 8
 * bytes — and writes the final file: header, the leaf level of the index and the features in Hilbert order
 * (copied from the memory-mapped temporary file), then the inner levels computed from the level below, read back
 * from the output. The output is written under a temporary name beside the target and renamed into place.
 */
public final class PointFileWriter implements Closeable {

  public static final int NODE_SIZE = 16;
  private static final int HILBERT_MAX = (1 << 16) - 1;
  private static final long SEGMENT = 1L << 30;

  private final Path target;
  private final String layerName;
  private final List<ColumnMeta> columns;
  private final int srid;
  private final Path featuresTmp;
  private final Path sideTmp;
  private final OutputStream features;
  private final OutputStream side;
  private final FlatBufferBuilder builder = new FlatBufferBuilder(1024);
  private final ByteBuffer sideRecord = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
  private final byte[] prefix = new byte[4];
  private long featureBytes;
  private long count;
  private double minX = Double.POSITIVE_INFINITY;
  private double minY = Double.POSITIVE_INFINITY;
  private double maxX = Double.NEGATIVE_INFINITY;
  private double maxY = Double.NEGATIVE_INFINITY;
  private boolean finished;

  /** Property values of one feature, in the FlatGeobuf encoding: column index (uint16) then the value. */
  public static final class Properties {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    public Properties clear() {
      buf.clear();
      return this;
    }

    private void room(int n) {
      if (buf.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n))
            .order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
    }

    public Properties putByte(int column, byte v) {
      room(3);
      buf.putShort((short) column).put(v);
      return this;
    }

    public Properties putInt(int column, int v) {
      room(6);
      buf.putShort((short) column).putInt(v);
      return this;
    }

    public Properties putLong(int column, long v) {
      room(10);
      buf.putShort((short) column).putLong(v);
      return this;
    }

    public Properties putFloat(int column, float v) {
      room(6);
      buf.putShort((short) column).putFloat(v);
      return this;
    }

    public Properties putDouble(int column, double v) {
      room(10);
      buf.putShort((short) column).putDouble(v);
      return this;
    }

    public Properties putString(int column, String v) {
      byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
      room(6 + bytes.length);
      buf.putShort((short) column).putInt(bytes.length).put(bytes);
      return this;
    }
  }

  /**
   * @param target the final file; temporary files are created beside it (dot-prefixed) and removed
   * @param srid EPSG code of the CRS, 0 for none
   */
  public PointFileWriter(Path target, String layerName, List<ColumnMeta> columns, int srid) throws IOException {
    this.target = target;
    this.layerName = layerName;
    this.columns = List.copyOf(columns);
    this.srid = srid;
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    this.featuresTmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".features.tmp");
    this.sideTmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".points.tmp");
    this.features = new BufferedOutputStream(Files.newOutputStream(featuresTmp), 1 << 20);
    this.side = new BufferedOutputStream(Files.newOutputStream(sideTmp), 1 << 20);
  }

  /** Appends a point feature with the given properties. */
  public void add(double x, double y, Properties properties) throws IOException {
    if (Double.isNaN(x) || Double.isNaN(y)) {
      throw new IllegalArgumentException(target + ": feature " + count + " has a NaN coordinate");
    }
    builder.clear();
    ByteBuffer props = properties.buf.duplicate().flip();
    int propsOffset = Feature.createPropertiesVector(builder, props);
    int xy = Geometry.createXyVector(builder, new double[] {x, y});
    Geometry.startGeometry(builder);
    Geometry.addXy(builder, xy);
    int geometry = Geometry.endGeometry(builder);
    Feature.startFeature(builder);
    Feature.addGeometry(builder, geometry);
    Feature.addProperties(builder, propsOffset);
    builder.finishSizePrefixed(Feature.endFeature(builder));
    ByteBuffer encoded = builder.dataBuffer();
    int len = encoded.remaining();
    sideRecord.clear();
    sideRecord.putDouble(x).putDouble(y).putLong(featureBytes);
    side.write(sideRecord.array(), 0, 24);
    if (encoded.hasArray()) {
      features.write(encoded.array(), encoded.arrayOffset() + encoded.position(), len);
    } else {
      byte[] copy = new byte[len];
      encoded.get(copy);
      features.write(copy);
    }
    featureBytes += len;
    count++;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }

  public long count() {
    return count;
  }

  /** Writes the final file (see the class comment) and renames it to the target. Returns its size. */
  public long finish() throws IOException {
    finished = true;
    features.close();
    side.close();
    Path out = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".tmp");
    try {
      write(out);
      try {
        // temporary files are created owner-only; the result is an ordinary readable file
        Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep its defaults
      }
      Files.move(out, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(target);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(featuresTmp);
      Files.deleteIfExists(sideTmp);
    }
  }

  private void write(Path out) throws IOException {
    HeaderMeta meta = new HeaderMeta();
    meta.name = layerName;
    meta.geometryType = GeometryType.Point;
    meta.srid = srid;
    meta.columns = new ArrayList<>(columns);
    meta.featuresCount = count;
    meta.indexNodeSize = count > 0 ? NODE_SIZE : 0;
    meta.envelope = count > 0 ? new Envelope(minX, maxX, minY, maxY) : null;
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(FgbHeader.MAGIC);
    HeaderMeta.write(meta, header, new FlatBufferBuilder(1024));
    long indexStart = header.size();
    try (FileChannel channel = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      channel.write(ByteBuffer.wrap(header.toByteArray()), 0);
      if (count == 0) {
        return;
      }
      PackedRTreeLayout layout = PackedRTreeLayout.of(count, NODE_SIZE);
      long featuresStart = indexStart + layout.bytes();
      long[] order = hilbertOrder();
      try (MappedFile points = new MappedFile(sideTmp); MappedFile encoded = new MappedFile(featuresTmp);
          FileChannel featureChannel = FileChannel.open(out, StandardOpenOption.WRITE);
          FileChannel leafChannel = FileChannel.open(out, StandardOpenOption.WRITE)) {
        featureChannel.position(featuresStart);
        leafChannel.position(indexStart + layout.levelStart(0) * FgbHeader.NODE_BYTES);
        OutputStream featureOut = new BufferedOutputStream(Channels.newOutputStream(featureChannel), 1 << 20);
        NodeWriter leaves = new NodeWriter(Channels.newOutputStream(leafChannel));
        byte[] copy = new byte[4096];
        long offset = 0;
        for (long key : order) {
          long i = key & 0xffffffffL;
          double x = points.getDouble(i * 24);
          double y = points.getDouble(i * 24 + 8);
          long at = points.getLong(i * 24 + 16);
          long end = i + 1 < count ? points.getLong((i + 1) * 24 + 16) : featureBytes;
          int size = (int) (end - at);
          if (copy.length < size) {
            copy = new byte[Math.max(size, copy.length * 2)];
          }
          encoded.get(at, copy, size);
          featureOut.write(copy, 0, size);
          leaves.write(x, y, x, y, offset);
          offset += size;
        }
        featureOut.flush();
        leaves.flush();
      }
      writeInnerLevels(out, layout, indexStart);
    }
  }

  /** (Hilbert value << 32 | feature number), sorted. */
  private long[] hilbertOrder() throws IOException {
    if (count > 0xffffffffL || count > Integer.MAX_VALUE - 8) {
      throw new IOException(target + ": more than 2^31 features in one file are not supported");
    }
    long[] keys = new long[(int) count];
    double width = maxX - minX;
    double height = maxY - minY;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(sideTmp), 1 << 20))) {
      byte[] rec = new byte[24];
      ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
      NodeItem item = new NodeItem(0, 0, 0, 0);
      for (int i = 0; i < keys.length; i++) {
        in.readFully(rec);
        item.minX = item.maxX = b.getDouble(0);
        item.minY = item.maxY = b.getDouble(8);
        long h = PackedRTree.hibert(item, HILBERT_MAX, minX, minY, width, height) & 0xffffffffL;
        keys[i] = h << 32 | i;
      }
    }
    Arrays.parallelSort(keys);
    return keys;
  }

  /** Each inner level from the level below it, bottom-up; a node's offset is its first child's node index. */
  private static void writeInnerLevels(Path out, PackedRTreeLayout layout, long indexStart) throws IOException {
    for (int level = 1; level < layout.levels(); level++) {
      long childStart = layout.levelStart(level - 1);
      long childEnd = layout.levelEnd(level - 1);
      try (FileChannel readChannel = FileChannel.open(out, StandardOpenOption.READ);
          FileChannel writeChannel = FileChannel.open(out, StandardOpenOption.WRITE)) {
        readChannel.position(indexStart + childStart * FgbHeader.NODE_BYTES);
        writeChannel.position(indexStart + layout.levelStart(level) * FgbHeader.NODE_BYTES);
        InputStream in = new BufferedInputStream(Channels.newInputStream(readChannel), 1 << 20);
        NodeWriter parents = new NodeWriter(Channels.newOutputStream(writeChannel));
        byte[] rec = new byte[FgbHeader.NODE_BYTES];
        ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
        for (long first = childStart; first < childEnd; first += layout.nodeSize()) {
          double nMinX = Double.POSITIVE_INFINITY;
          double nMinY = Double.POSITIVE_INFINITY;
          double nMaxX = Double.NEGATIVE_INFINITY;
          double nMaxY = Double.NEGATIVE_INFINITY;
          long last = Math.min(childEnd, first + layout.nodeSize());
          for (long c = first; c < last; c++) {
            if (in.readNBytes(rec, 0, rec.length) != rec.length) {
              throw new IOException(out + ": index level " + (level - 1) + " is short");
            }
            nMinX = Math.min(nMinX, b.getDouble(0));
            nMinY = Math.min(nMinY, b.getDouble(8));
            nMaxX = Math.max(nMaxX, b.getDouble(16));
            nMaxY = Math.max(nMaxY, b.getDouble(24));
          }
          parents.write(nMinX, nMinY, nMaxX, nMaxY, first);
        }
        parents.flush();
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      features.close();
      side.close();
      Files.deleteIfExists(featuresTmp);
      Files.deleteIfExists(sideTmp);
    }
  }

  /** Buffered little-endian node records. */
  private static final class NodeWriter {
    private final OutputStream out;
    private final ByteBuffer buf = ByteBuffer.allocate(FgbHeader.NODE_BYTES * 8192).order(ByteOrder.LITTLE_ENDIAN);

    NodeWriter(OutputStream out) {
      this.out = out;
    }

    void write(double minX, double minY, double maxX, double maxY, long offset) throws IOException {
      if (buf.remaining() < FgbHeader.NODE_BYTES) {
        drain();
      }
      buf.putDouble(minX).putDouble(minY).putDouble(maxX).putDouble(maxY).putLong(offset);
    }

    void flush() throws IOException {
      drain();
      out.flush();
    }

    private void drain() throws IOException {
      out.write(buf.array(), 0, buf.position());
      buf.clear();
    }
  }

  /** A read-only file mapped in 1 GiB segments (out of the heap; the OS pages it). */
  private static final class MappedFile implements Closeable {
    private final MappedByteBuffer[] segments;

    MappedFile(Path path) throws IOException {
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        long size = ch.size();
        segments = new MappedByteBuffer[(int) ((size + SEGMENT - 1) / SEGMENT)];
        for (int s = 0; s < segments.length; s++) {
          long start = s * SEGMENT;
          // segments overlap by 64 KiB so a record or feature that starts in one is read from it whole
          long len = Math.min(size - start, SEGMENT + 65536);
          segments[s] = ch.map(FileChannel.MapMode.READ_ONLY, start, len);
          segments[s].order(ByteOrder.LITTLE_ENDIAN);
        }
      }
    }

    double getDouble(long at) {
      return segments[(int) (at / SEGMENT)].getDouble((int) (at % SEGMENT));
    }

    long getLong(long at) {
      return segments[(int) (at / SEGMENT)].getLong((int) (at % SEGMENT));
    }

    void get(long at, byte[] dst, int len) {
      long pos = at;
      int off = 0;
      while (off < len) {
        MappedByteBuffer seg = segments[(int) (pos / SEGMENT)];
        int in = (int) (pos % SEGMENT);
        int n = Math.min(len - off, seg.limit() - in);
        seg.get(in, dst, off, n);
        off += n;
        pos += n;
      }
    }

    @Override
    public void close() {
      // mappings are released by the GC; nothing to close
    }
  }
}
