package org.atl03.datasource.spark.atl03;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.atl03.SegmentSlice;
import org.atl03.datasource.atl03.SegmentWindow;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.MultiDatasetReader;
import org.atl03.datasource.hdf5.ReadOptions;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.StaleFileException;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.io.StorageFailures;
import org.atl03.datasource.spark.SedonaGeometry;
import org.atl03.datasource.spark.SparkTypes;
import org.atl03.datasource.spark.StorageMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition: its photon ranges are grouped into spans that share no chunk with each other, each span's
 * chunks of every needed dataset are fetched together (coalesced across datasets, several requests in flight) and
 * decoded, and the selected photons are copied into reused column vectors, at most {@link #MAX_BATCH_ROWS} a batch.
 * Memory is bounded by a span's photons, whatever the partition's or the granule's size.
 */
final class Atl03PartitionReader implements PartitionReader<ColumnarBatch> {

  static final int MAX_BATCH_ROWS = 32 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(Atl03PartitionReader.class);

  private final Atl03InputPartition partition;
  private final PhotonColumns columns;
  private final boolean ignoreCorruptFiles;
  private final java.util.function.Consumer<String> onSkip; // where a skipped partition is reported
  private long partitionsSkipped;
  private final ReadMetrics metrics = new ReadMetrics();
  private final InputFile file;
  private final InputFile store; // the file under the metering, for its retry count
  private final MultiDatasetReader heights;
  private final MultiDatasetReader geolocation;
  private final ReadOptions readOptions;
  private ArrayDeque<List<PhotonRange>> spans; // null until the partition's ranges are known
  private SegmentSlice segments; // the partition's, or the one its deferred segment index gives
  private final ArrayDeque<PhotonRange> pieces = new ArrayDeque<>();
  private final ColumnVector[] vectors;
  private final int[] viewedDataset; // per column: the heights dataset a DecodedColumnVector views
  private final ColumnarBatch batch;
  private final int deltaTimeIndex;
  private final int lonIndex;
  private final int latIndex;
  private final SedonaGeometry.Points geometry;

  // the span being returned: its decoded rows, and its segments' geolocation rows
  private PhotonRange span;
  private byte[][] spanHeights;
  private byte[][] spanGeolocation;
  private int spanFirstSegment; // position in the partition's segment slice of spanGeolocation's first row
  private int[] segmentPositions = new int[0];
  private long photonsScanned;
  private long segmentChunksDecoded;
  private long photonsReturned;

  Atl03PartitionReader(Atl03InputPartition partition, PhotonColumns columns, Configuration conf, int readsInFlight,
      boolean ignoreCorruptFiles, java.util.function.Consumer<String> onSkip) {
    this.partition = partition;
    this.columns = columns;
    this.ignoreCorruptFiles = ignoreCorruptFiles;
    this.onSkip = onSkip;
    Storage storage = new HadoopStorage(conf);
    try {
      this.store = partition.indexed() != null
          ? storage.openVersion(partition.location(), partition.indexed())
          : partition.dataFile() != null
              ? storage.open(partition.dataFile())
              : storage.open(partition.location());
      if (partition.indexed() != null && readsNothing(partition) && !storage.isLocal(partition.location())) {
        // rows counted from the catalog alone (count(*)): no read carries the version check, so ask once
        storage.checkVersion(partition.location(), partition.indexed());
      }
      this.file = metrics.meter(store);
    } catch (StaleFileException e) {
      throw new UncheckedIOException(e.getMessage() + STALE_CATALOG, e);
    } catch (IOException e) {
      throw new UncheckedIOException(partition.location() + ": cannot open: " + e.getMessage(), e);
    }
    ReadOptions options = ReadOptions.DEFAULT.withReadsInFlight(
        readsInFlight > 0 ? readsInFlight : Granules.readsInFlight(partition.location(), storage));
    this.readOptions = options;
    this.heights = new MultiDatasetReader(file, options, partition.heights());
    this.geolocation = partition.geolocation().isEmpty()
        ? null
        : new MultiDatasetReader(file, options, partition.geolocation());
    this.segments = partition.segments();
    this.deltaTimeIndex = columns.heightsDatasets().indexOf(Atl03Columns.DELTA_TIME);
    this.lonIndex = columns.heightsDatasets().indexOf(Atl03Columns.LON);
    this.latIndex = columns.heightsDatasets().indexOf(Atl03Columns.LAT);
    this.geometry = columns.columns().stream().anyMatch(c -> c.source() == PhotonColumns.Source.GEOMETRY)
        ? SedonaGeometry.points("option geometry=true")
        : null;
    this.vectors = new ColumnVector[columns.columns().size()];
    this.viewedDataset = new int[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      PhotonColumns.Column column = columns.columns().get(i);
      vectors[i] = newVector(column);
      viewedDataset[i] = column.source() == PhotonColumns.Source.TIME ? deltaTimeIndex
          : column.source() == PhotonColumns.Source.HEIGHTS ? columns.heightsDatasets().indexOf(column.dataset())
          : -1; // not a view
    }
    this.batch = new ColumnarBatch(vectors);
  }

  /** Photons a span holds at most (in whole chunks, at least one): this, not the partition, bounds a task's memory. */
  static final long MAX_SPAN_PHOTONS = 1_000_000;

  /**
   * Groups sorted ranges into spans read in one pass: a range joins the previous span when it starts in the
   * span's last chunk or the next one (so no chunk is read twice and none is read for nothing), up to
   * {@link #MAX_SPAN_PHOTONS}; a longer range is cut on chunk boundaries.
   */
  static List<List<PhotonRange>> spans(List<PhotonRange> ranges, long chunkRows) {
    long maxSpanRows = Math.max(chunkRows, MAX_SPAN_PHOTONS / chunkRows * chunkRows);
    List<PhotonRange> pieces = new ArrayList<>();
    for (PhotonRange r : ranges) {
      long start = r.start();
      while (r.end() - start > maxSpanRows) {
        long cut = start / chunkRows * chunkRows + maxSpanRows; // a chunk boundary: no chunk in two spans
        pieces.add(new PhotonRange(start, cut));
        start = cut;
      }
      pieces.add(new PhotonRange(start, r.end()));
    }
    List<List<PhotonRange>> spans = new ArrayList<>();
    List<PhotonRange> current = null;
    for (PhotonRange r : pieces) {
      if (current != null) {
        PhotonRange last = current.get(current.size() - 1);
        long lastChunk = (last.end() - 1) / chunkRows;
        boolean adjacent = r.start() / chunkRows <= lastChunk + 1;
        if (adjacent && r.end() - current.get(0).start() <= maxSpanRows) {
          current.add(r);
          continue;
        }
      }
      current = new ArrayList<>();
      current.add(r);
      spans.add(current);
    }
    return spans;
  }

  private ColumnVector newVector(PhotonColumns.Column column) {
    switch (column.source()) {
      case GRANULE, BEAM, BEAM_STRENGTH -> {
        ConstantColumnVector v = new ConstantColumnVector(MAX_BATCH_ROWS, DataTypes.StringType);
        String value = switch (column.source()) {
          case GRANULE -> partition.granule();
          case BEAM -> partition.beam();
          default -> partition.beamStrength();
        };
        v.setUtf8String(UTF8String.fromString(value));
        return v;
      }
      case RGT, CYCLE -> {
        ConstantColumnVector v = new ConstantColumnVector(MAX_BATCH_ROWS, DataTypes.IntegerType);
        Integer value = column.source() == PhotonColumns.Source.RGT ? partition.rgt() : partition.cycle();
        if (value == null) {
          v.setNull();
        } else {
          v.setInt(value);
        }
        return v;
      }
      case HEIGHTS -> {
        DatasetInfo info = partition.heights().get(columns.heightsDatasets().indexOf(column.dataset())).dataset();
        return new DecodedColumnVector(column.type(), info.type(), info.rowElements());
      }
      case TIME -> {
        return DecodedColumnVector.photonTime(partition.sdpGpsEpoch());
      }
      default -> {
        return new OnHeapColumnVector(MAX_BATCH_ROWS, column.type());
      }
    }
  }

  @Override
  public boolean next() throws IOException {
    try {
      if (spans == null) {
        spans = new ArrayDeque<>(spans(ranges(), partition.chunkRows()));
      }
      while (pieces.isEmpty()) {
        if (spans.isEmpty()) {
          return false;
        }
        readSpan(spans.poll());
      }
      fill(pieces.poll());
      return true;
    } catch (IOException | RuntimeException e) {
      String where = partition.location() + " " + partition.beam() + " photons " + (span == null ? "" : span);
      String message = String.valueOf(e.getMessage());
      String reason = (message.contains(partition.location()) ? message : where + ": " + message)
          + (partition.indexed() != null && changedOnStore(e) ? STALE_CATALOG : "");
      if (ignoreCorruptFiles && !StorageFailures.isStorageFailure(e)) { // an outage is no corrupt file
        LOG.warn("Skipped the rest of {} (onCorruptGranule=skip): {}", where, reason);
        onSkip.accept(where + ": " + reason);
        partitionsSkipped++;
        spans = new ArrayDeque<>();
        pieces.clear();
        return false;
      }
      throw new IOException(reason, e);
    }
  }

  /**
   * The photon ranges to return: as planned, or, for a partition planned from a catalog, narrowed by its window's
   * segment index as planning from the granule narrows them (which also gives the photons' segments).
   */
  private List<PhotonRange> ranges() throws IOException {
    DeferredSegments deferred = partition.deferred();
    if (deferred == null) {
      return partition.ranges();
    }
    // one pass over the window's index, longitudes included: reading them after the latitudes (as planning does)
    // cut the catalog bbox's task bytes from 7.76 to 6.52 MB but raised its requests from 69 to 90 (scan-bench)
    List<ChunkIndex> parts = new ArrayList<>();
    for (ChunkIndex index : new ChunkIndex[] {deferred.counts(), deferred.ids(), deferred.lat(), deferred.lon(),
        deferred.time()}) {
      if (index != null) {
        parts.add(index);
      }
    }
    List<double[]> values;
    try (MultiDatasetReader reader = new MultiDatasetReader(file, readOptions, parts)) {
      values = reader.readAsDoubles(deferred.firstSegment(), deferred.endSegment());
      segmentChunksDecoded += reader.chunksDecoded();
    }
    int next = 0;
    int[] counts = ints(values.get(next++));
    int[] ids = deferred.ids() == null ? null : ints(values.get(next++));
    double[] lat = deferred.lat() == null ? null : values.get(next++);
    double[] lon = deferred.lon() == null ? null : values.get(next++);
    double[] time = deferred.time() == null ? null : values.get(next);
    SegmentWindow window = new SegmentWindow(deferred.firstSegment(), deferred.firstPhoton(), ids, counts, lat, lon,
        time);
    List<PhotonRange> ranges = deferred.filter() == null
        ? partition.ranges()
        : window.select(deferred.filter(), deferred.marginMeters(), deferred.marginSeconds(), partition.ranges());
    if (!ranges.isEmpty() && columns.needsSegments()) {
      segments = window.slice(new PhotonRange(ranges.get(0).start(), ranges.get(ranges.size() - 1).end()));
    }
    return ranges;
  }

  private static int[] ints(double[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = (int) values[i];
    }
    return ints;
  }

  /** Whether the task reads no byte of the file: no column needs a dataset and no segment index is narrowed. */
  private static boolean readsNothing(Atl03InputPartition partition) {
    return partition.heights().isEmpty() && partition.geolocation().isEmpty() && partition.deferred() == null;
  }

  private static final String STALE_CATALOG =
      ": the catalog is stale; refresh it with ./atl03 index --in <the granules> --catalog <the catalog>";

  /** S3A's answer to a read whose ETag condition failed: the object changed since the catalog indexed it. */
  private static boolean changedOnStore(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("RemoteFileChangedException")) {
        return true;
      }
    }
    return false;
  }

  private void readSpan(List<PhotonRange> ranges) throws IOException {
    span = new PhotonRange(ranges.get(0).start(), ranges.get(ranges.size() - 1).end());
    spanHeights = heights.read(span.start(), span.end());
    photonsScanned += span.length();
    if (geolocation != null) {
      int[] ends = new int[1];
      segments.segmentsOf(span.start(), span.start() + 1, ends);
      spanFirstSegment = ends[0];
      segments.segmentsOf(span.end() - 1, span.end(), ends);
      int first = segments.firstSegment();
      ChunkIndex any = partition.geolocation().get(0);
      long base = first + spanFirstSegment;
      spanGeolocation = geolocation.read(base, Math.min(any.dataset().rows(), first + ends[0] + 1));
    }
    for (PhotonRange r : ranges) {
      for (long s = r.start(); s < r.end(); s += MAX_BATCH_ROWS) {
        pieces.add(new PhotonRange(s, Math.min(r.end(), s + MAX_BATCH_ROWS)));
      }
    }
  }

  private void fill(PhotonRange piece) {
    int n = (int) piece.length();
    int fromSpan = (int) (piece.start() - span.start());
    if (columns.needsSegments()) {
      if (segmentPositions.length < n) {
        segmentPositions = new int[MAX_BATCH_ROWS];
      }
      segments.segmentsOf(piece.start(), piece.end(), segmentPositions);
    }
    List<PhotonColumns.Column> cols = columns.columns();
    for (int c = 0; c < cols.size(); c++) {
      PhotonColumns.Column column = cols.get(c);
      if (vectors[c] instanceof DecodedColumnVector decoded) { // a view of the span's rows: nothing is copied
        decoded.view(spanHeights[viewedDataset[c]], fromSpan);
        continue;
      }
      if (!(vectors[c] instanceof WritableColumnVector v)) {
        continue; // constants
      }
      v.reset();
      switch (column.source()) {
        case PHOTON_INDEX -> {
          for (int i = 0; i < n; i++) v.putLong(i, piece.start() + i);
        }
        case SEGMENT_ID -> {
          for (int i = 0; i < n; i++) v.putInt(i, segments.segmentId(segmentPositions[i]));
        }
        case GEOMETRY -> {
          ByteBuffer lon = ByteBuffer.wrap(spanHeights[lonIndex]).order(ByteOrder.LITTLE_ENDIAN);
          ByteBuffer lat = ByteBuffer.wrap(spanHeights[latIndex]).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < n; i++) {
            int at = (fromSpan + i) * 8;
            v.putByteArray(i, geometry.point(lon.getDouble(at), lat.getDouble(at)));
          }
        }
        case GEOLOCATION -> {
          int d = columns.geolocationDatasets().indexOf(column.dataset());
          DatasetInfo info = partition.geolocation().get(d).dataset();
          int rowBytes = info.rowElements() * info.type().size();
          byte[] gathered = new byte[n * rowBytes];
          for (int i = 0; i < n; i++) {
            System.arraycopy(spanGeolocation[d], (segmentPositions[i] - spanFirstSegment) * rowBytes, gathered,
                i * rowBytes, rowBytes);
          }
          SparkTypes.fill(v, info.type(), info.rowElements(), gathered, 0, n);
        }
        default -> throw new IllegalStateException("column " + column.name() + " is not read from vectors");
      }
    }
    batch.setNumRows(n);
    photonsReturned += n;
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    long chunks = heights.chunksDecoded() + (geolocation == null ? 0 : geolocation.chunksDecoded())
        + segmentChunksDecoded;
    return new CustomTaskMetric[] {
      StorageMetrics.task(StorageMetrics.BYTES_READ, metrics.bytes()),
      StorageMetrics.task(StorageMetrics.READ_REQUESTS, metrics.requests()),
      StorageMetrics.task(Atl03Metrics.CHUNKS_DECODED, chunks),
      StorageMetrics.task(Atl03Metrics.PHOTONS_SCANNED, photonsScanned),
      StorageMetrics.task(Atl03Metrics.PHOTONS_RETURNED, photonsReturned),
      StorageMetrics.task(Atl03Metrics.CORRUPT_PARTITIONS_SKIPPED, partitionsSkipped),
      StorageMetrics.task(StorageMetrics.STORE_RETRIES, store.storeRetries())
    };
  }

  @Override
  public void close() throws IOException {
    try {
      batch.close();
      heights.close();
      if (geolocation != null) {
        geolocation.close();
      }
    } finally {
      file.close();
    }
  }
}
