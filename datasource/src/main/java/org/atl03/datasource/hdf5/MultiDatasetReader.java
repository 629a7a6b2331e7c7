package org.atl03.datasource.hdf5;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.atl03.datasource.io.BufferPool;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.RangeFetcher;

/**
 * Reads the same rows of several chunked datasets of one file in one pass. In ATL03 the chunks of a beam's
 * datasets are written batch by batch and interleave through the file, so ordering every needed chunk of every
 * dataset by address lets the {@link RangeCoalescer} merge neighbours of different datasets into one request:
 * reading six columns of a stretch of track costs about one request per stretch, not six.
 *
 * <p>Works from {@link ChunkIndex}es alone (no HDF5 metadata is read); inline chunks are decoded without I/O. The
 * arrays rows are decoded into come from a pool the JVM's readers share, and go back to it on {@link #close()}: a
 * task's 1 M photons are 33 MB of arrays, which fresh would be zeroed first and collected after (measured: the
 * 488 MB granule's scan 5-9 % faster pooled). Not thread-safe: one per task.
 */
public final class MultiDatasetReader implements AutoCloseable {

  /** Free decoded-row arrays held for the next readers: at most an eighth of the heap, and 256 MiB. */
  private static final BufferPool DECODED = new BufferPool(64,
      Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));

  private final InputFile file;
  private final ReadOptions options;
  private final List<DatasetReader> readers = new ArrayList<>();
  private final BufferPool decoded; // DECODED but in tests
  private final byte[][] buffers; // from decoded, reused from read to read
  private final BufferPool fetched; // the stored bytes' arrays, reused likewise
  private long chunksDecoded;

  public MultiDatasetReader(InputFile file, ReadOptions options, List<ChunkIndex> datasets) {
    this(file, options, datasets, DECODED);
  }

  MultiDatasetReader(InputFile file, ReadOptions options, List<ChunkIndex> datasets, BufferPool decoded) {
    this.file = file;
    this.decoded = decoded;
    this.options = options;
    for (ChunkIndex index : datasets) {
      readers.add(DatasetReader.chunked(index.dataset(), index, file, options));
    }
    this.buffers = new byte[readers.size()][];
    this.fetched = new BufferPool(options.readsInFlight() + 1);
  }

  /**
   * Rows {@code [start, end)} of every dataset, each as little-endian bytes in C order from index 0, in the given
   * order. The arrays are this reader's own, reused by the next call, valid until {@link #close()}, and may be longer
   * than the rows read (what follows them is stale).
   */
  public byte[][] read(long start, long end) throws IOException {
    byte[][] out = buffers;
    List<Pending> pending = new ArrayList<>();
    for (int d = 0; d < readers.size(); d++) {
      DatasetReader reader = readers.get(d);
      if (start < 0 || end < start || end > reader.rows()) {
        throw new IndexOutOfBoundsException(reader.info().describe() + ": rows [" + start + ", " + end
            + ") outside [0, " + reader.rows() + ")");
      }
      reader.checkHolds(start, end); // before allocating: the file must hold these rows
      int bytes = Math.toIntExact((end - start) * reader.rowBytes());
      if (out[d] == null || out[d].length < bytes) {
        if (out[d] != null) {
          decoded.give(out[d]);
        }
        out[d] = decoded.take(bytes);
      }
      DatasetReader.ChunkedSource chunked = reader.chunked();
      List<ChunkDescriptor> chunks = chunked.prepare(start, end, out[d], 0);
      List<ChunkDescriptor> stored = chunked.acceptInline(chunks, start, end, out[d], 0); // inline: no I/O
      chunksDecoded += chunks.size() - stored.size();
      for (ChunkDescriptor c : stored) {
        pending.add(new Pending(d, c));
      }
    }
    RangeFetcher.fetchInFileOrder(file, options.fetchPlan(), fetched, pending, p -> p.chunk.fileOffset(),
        p -> p.chunk.storedSize(), (p, buf, at) -> {
      readers.get(p.dataset).chunked().accept(p.chunk, buf, at, start, end, out[p.dataset], 0);
      chunksDecoded++;
    });
    return out;
  }

  /**
   * Rows {@code [start, end)} of every (numeric, one-dimensional) dataset read together as {@link #read}, each
   * widened to double (unsigned integers as unsigned).
   */
  public List<double[]> readAsDoubles(long start, long end) throws IOException {
    byte[][] rows = read(start, end);
    List<double[]> out = new ArrayList<>();
    for (int d = 0; d < readers.size(); d++) {
      ElementType type = readers.get(d).info().type();
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(rows[d]).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      double[] values = new double[Math.toIntExact((end - start) * readers.get(d).info().rowElements())];
      for (int i = 0; i < values.length; i++) {
        values[i] = Numbers.toDouble(bytes, i * type.size(), type);
      }
      out.add(values);
    }
    return out;
  }

  /** Chunks decoded so far, for the scan's metrics. */
  public long chunksDecoded() {
    return chunksDecoded;
  }

  @Override
  public void close() {
    readers.forEach(DatasetReader::close);
    for (int d = 0; d < buffers.length; d++) {
      if (buffers[d] != null) {
        decoded.give(buffers[d]);
        buffers[d] = null;
      }
    }
  }

  private record Pending(int dataset, ChunkDescriptor chunk) {}
}
