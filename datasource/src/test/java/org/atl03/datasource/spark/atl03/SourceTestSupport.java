package org.atl03.datasource.spark.atl03;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.spark.sql.Row;

/** The HDF5 tools and checksums the source's results are checked against. */
final class SourceTestSupport {

  private SourceTestSupport() {}

  /** {@code h5repack -S PAGE -G 8388608 in out}: skipped with a message when hdf5-tools is not installed. */
  static Path repackPaged(Path in, Path out) throws IOException, InterruptedException {
    Path h5repack = Path.of("/usr/bin/h5repack");
    assumeTrue(Files.isExecutable(h5repack), "h5repack absent (apt-get install hdf5-tools): repacked test skipped");
    Files.createDirectories(out.getParent());
    Process p = new ProcessBuilder(h5repack.toString(), "-S", "PAGE", "-G", "8388608", in.toString(), out.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("h5repack failed: " + output);
    }
    return out;
  }

  /**
   * crc32 of a column's values written as little-endian bytes of the HDF5 type numpy reports ({@code <f8},
   * {@code |u1}, ...), in row order: what photon_checksums.py computes from the file.
   */
  static long crc(List<Row> rows, String column, String numpyType) {
    int size = Integer.parseInt(numpyType.substring(2));
    ByteBuffer bb = ByteBuffer.allocate(rows.size() * size * 5).order(ByteOrder.LITTLE_ENDIAN);
    for (Row r : rows) {
      Object v = r.getAs(column);
      if (v instanceof scala.collection.Seq<?> seq) {
        for (int i = 0; i < seq.size(); i++) put(bb, (Number) seq.apply(i), numpyType);
      } else {
        put(bb, (Number) v, numpyType);
      }
    }
    CRC32 crc = new CRC32();
    crc.update(bb.array(), 0, bb.position());
    return crc.getValue();
  }

  private static void put(ByteBuffer bb, Number v, String numpyType) {
    switch (numpyType.substring(1)) {
      case "f8" -> bb.putDouble(v.doubleValue());
      case "f4" -> bb.putFloat(v.floatValue());
      case "i1", "u1" -> bb.put((byte) v.intValue());
      case "i2", "u2" -> bb.putShort((short) v.intValue());
      case "i4", "u4" -> bb.putInt((int) v.longValue());
      case "i8", "u8" -> bb.putLong(v.longValue());
      default -> throw new IllegalArgumentException("numpy type " + numpyType);
    }
  }

  /** The float64 sum of a column (elements of array columns included). */
  static double sum(List<Row> rows, String column) {
    double sum = 0;
    for (Row r : rows) {
      Object v = r.getAs(column);
      if (v instanceof scala.collection.Seq<?> seq) {
        for (int i = 0; i < seq.size(); i++) sum += ((Number) seq.apply(i)).doubleValue();
      } else {
        sum += ((Number) v).doubleValue();
      }
    }
    return sum;
  }
}
