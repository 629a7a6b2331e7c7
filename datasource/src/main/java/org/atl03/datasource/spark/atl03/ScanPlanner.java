package org.atl03.datasource.spark.atl03;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataType;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.GranuleReadOptions;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.atl03.PartitionPlanner.PhotonSplit;
import org.atl03.datasource.atl03.PartitionPlanner;
import org.atl03.datasource.atl03.PhotonFilter;
import org.atl03.datasource.atl03.PhotonPruning;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.atl03.SegmentIndex;
import org.atl03.datasource.atl03.SegmentSlice;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.io.StorageFailures;
import org.atl03.datasource.io.StoredFile;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.SparkTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a scan on the driver from the granules' metadata alone: for each granule (several at once) and each beam
 * the filters leave, the photon ranges that can match, cut into chunk-aligned partitions that carry their chunk
 * lists. Unreadable granules fail the query naming the file, or are skipped and logged with ignoreCorruptFiles.
 */
final class ScanPlanner {

  private static final Logger LOG = LoggerFactory.getLogger(ScanPlanner.class);
  private static final int PLANNING_THREADS = 8;

  /**
   * The partitions, what planning read of the granules and of a catalog (its files data skipping left, their
   * bytes), and the granules skipped as corrupt, each "file: reason".
   */
  record Plan(List<Atl03InputPartition> partitions, long metadataBytes, long metadataRequests, List<String> skipped,
      long catalogFiles, long catalogBytes) {}

  private final Atl03Options options;
  private final PhotonColumns columns;
  private final PushedFilters pushed;
  private final boolean ignoreCorruptFiles;

  ScanPlanner(Atl03Options options, PhotonColumns columns, PushedFilters pushed, boolean ignoreCorruptFiles) {
    this.options = options;
    this.columns = columns;
    this.pushed = pushed;
    this.ignoreCorruptFiles = ignoreCorruptFiles;
  }

  /** Plans for {@code parallelism} task slots (Spark's default parallelism): they decide the partitions' size. */
  Plan plan(Configuration conf, int parallelism) {
    Storage storage = new HadoopStorage(conf);
    GranuleReadOptions readOptions = GranuleSettings.from(conf);
    List<StoredFile> listed;
    try {
      listed = storage.list(options.paths(), Granules.SUFFIXES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> files = listed.stream().map(StoredFile::location).toList();
    ReadMetrics metrics = new ReadMetrics();
    List<BeamPlan> beams = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PLANNING_THREADS, files.size())), r -> {
      Thread t = new Thread(r, "atl03-planner");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<List<BeamPlan>>> futures = new ArrayList<>();
      for (StoredFile file : listed) {
        futures.add(pool.submit(() -> planGranule(file, storage, readOptions, metrics)));
      }
      for (int i = 0; i < files.size(); i++) {
        try {
          beams.addAll(futures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (!ignoreCorruptFiles || StorageFailures.isStorageFailure(cause)) { // an outage is no corrupt file
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
          }
          String reason = String.valueOf(cause.getMessage());
          LOG.warn("Skipped the unreadable granule {} (onCorruptGranule=skip): {}", files.get(i), reason);
          skipped.add(reason.contains(files.get(i)) ? reason : files.get(i) + ": " + reason);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while planning " + options.paths(), e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // the partitions' size waits for every beam's selection: it depends on the photons of the whole scan
    long selected = beams.stream().mapToLong(b -> PhotonRange.totalLength(b.ranges())).sum();
    long partitionPhotons = Atl03Options.partitionPhotons(selected, parallelism);
    List<Atl03InputPartition> partitions = new ArrayList<>();
    for (BeamPlan beam : beams) {
      try {
        beam.cut(options.chunksPerPartition(beam.chunkRows(), partitionPhotons), columns, partitions);
      } catch (RuntimeException e) {
        throw withFile(beam.granule().dataLocation(), e);
      }
    }
    return new Plan(List.copyOf(partitions), metrics.bytes(), metrics.requests(), List.copyOf(skipped), 0, 0);
  }

  List<BeamPlan> planGranule(StoredFile stored, Storage storage, GranuleReadOptions readOptions, ReadMetrics metrics)
      throws IOException {
    List<BeamPlan> beams = new ArrayList<>();
    String file = stored.location();
    try (Atl03Granule granule = Granules.open(stored, storage, readOptions, metrics)) {
      Atl03Granule.Orbit orbit = granule.orbit();
      Integer rgt = orbit.rgt();
      Integer cycle = orbit.cycle();
      double epoch = orbit.sdpGpsEpoch();
      for (String beam : granule.beams()) {
        String strength = granule.beamStrength(beam);
        BeamFacts facts = new BeamFacts(granule.name(), beam, strength, rgt, cycle, epoch);
        if (!options.selectsBeam(beam, strength) || !pushed.selectsBeam(facts)) {
          continue;
        }
        PhotonFilter photons = pushed.photons(facts);
        if (!photons.selectsNothing()) { // e.g. lat_ph > 10 AND lat_ph < 5: not even the segment index is read
          BeamPlan plan = planBeam(granule, facts, photons);
          if (plan != null) {
            beams.add(plan);
          }
        }
      }
    } catch (RuntimeException e) {
      throw withFile(file, e);
    }
    return beams;
  }

  /** A beam's selected photons, or null when it has none. */
  private BeamPlan planBeam(Atl03Granule granule, BeamFacts facts, PhotonFilter filter) throws IOException {
    String beam = facts.beam();
    long photons = granule.photons(beam);
    if (photons == 0) {
      return null; // a beam without photons gives no rows
    }
    List<ChunkIndex> heights = new ArrayList<>();
    List<String> paths = columns.heightsDatasets().stream().map(d -> Atl03Granule.heights(beam, d)).toList();
    if (!paths.isEmpty()) {
      granule.require(beam, paths);
    }
    for (String path : paths) {
      heights.add(chunkIndex(granule, path, photons));
    }
    DatasetInfo time = granule.file().dataset(Atl03Granule.heights(beam, "delta_time"));
    long chunkRows = time.chunkShape().length == 0 ? photons : time.chunkShape()[0];

    boolean filtered = !filter.selectsEverything();
    SegmentIndex segments = filtered || columns.needsSegments()
        ? granule.segmentIndex(beam,
            new Atl03Granule.SegmentParts(filter.box() != null, filter.hasTimeWindow(), columns.needsSegmentIds()),
            filter.box(), options.pruneMarginMeters())
        : null;
    List<PhotonRange> ranges = filtered
        ? PhotonPruning.select(segments, filter, options.pruneMarginMeters(), options.pruneMarginSeconds())
        : List.of(new PhotonRange(0, photons));
    List<ChunkIndex> geolocation = new ArrayList<>();
    for (String dataset : columns.geolocationDatasets()) {
      geolocation.add(chunkIndex(granule, Atl03Granule.geolocation(beam, dataset), segments.segments()));
    }
    if (ranges.isEmpty()) {
      return null;
    }
    // only the selection's segments are kept until the partitions are cut, not the beam's whole index
    SegmentSlice selected = columns.needsSegments()
        ? SegmentSlice.of(segments, new PhotonRange(ranges.stream().mapToLong(PhotonRange::start).min().orElseThrow(),
            ranges.stream().mapToLong(PhotonRange::end).max().orElseThrow()))
        : null;
    return new BeamPlan(new GranuleRef(granule.file().dataLocation(), granule.file().dataFile(), granule.name()),
        facts, ranges, photons, chunkRows, List.copyOf(heights), selected, List.copyOf(geolocation));
  }

  /** Where a beam's partitions read: the data file and the granule's name. */
  private record GranuleRef(String dataLocation, StoredFile dataFile, String name) {}

  /** A beam's selected photon ranges and the indexes its partitions carry, planned before they are cut. */
  private record BeamPlan(GranuleRef granule, BeamFacts facts, List<PhotonRange> ranges, long photons,
      long chunkRows, List<ChunkIndex> heights, SegmentSlice segments, List<ChunkIndex> geolocation) {

    void cut(int chunksPerPartition, PhotonColumns columns, List<Atl03InputPartition> out) {
      for (PhotonSplit split : PartitionPlanner.plan(ranges, photons, chunkRows, chunksPerPartition)) {
        PhotonRange span = new PhotonRange(split.ranges().get(0).start(),
            split.ranges().get(split.ranges().size() - 1).end());
        SegmentSlice slice = segments == null ? null : segments.narrowed(span);
        List<ChunkIndex> geo = new ArrayList<>();
        for (ChunkIndex index : geolocation) {
          geo.add(index.forRows(slice.firstSegment(), slice.firstSegment() + slice.segments()));
        }
        List<ChunkIndex> windowHeights = heights.stream().map(h -> h.forRows(span.start(), span.end())).toList();
        out.add(new Atl03InputPartition(granule.dataLocation(), granule.dataFile(), granule.name(), facts.beam(),
            facts.beamStrength(), facts.rgt(), facts.cycle(), facts.sdpGpsEpoch(), split.window(), split.ranges(),
            chunkRows, windowHeights, slice, List.copyOf(geo), null, null));
      }
    }
  }

  /** The chunk index of a dataset whose rows must match its beam's photons or segments, and whose type the column's. */
  private ChunkIndex chunkIndex(Atl03Granule granule, String path, long expectedRows) {
    DatasetInfo info = granule.file().dataset(path);
    if (info.rows() != expectedRows) {
      throw new IllegalArgumentException(info.describe() + " has " + info.rows() + " rows, expected " + expectedRows);
    }
    columns.checkType(info, path);
    return granule.file().chunkIndex(path);
  }

  private static RuntimeException withFile(String file, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains(file) || message.contains(new Path(file).getName())
        ? e
        : new IllegalArgumentException(file + ": " + message, e);
  }
}
