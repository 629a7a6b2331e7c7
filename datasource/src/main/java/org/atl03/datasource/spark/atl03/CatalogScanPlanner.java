package org.atl03.datasource.spark.atl03;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.GranuleReadOptions;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.atl03.PartitionPlanner.PhotonSplit;
import org.atl03.datasource.atl03.PartitionPlanner;
import org.atl03.datasource.atl03.PhotonFilter;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.atl03.catalog.CatalogFiles;
import org.atl03.datasource.atl03.catalog.CatalogFilter;
import org.atl03.datasource.atl03.catalog.CatalogRows;
import org.atl03.datasource.atl03.catalog.CatalogWindow;
import org.atl03.datasource.atl03.catalog.GranuleSurvey;
import org.atl03.datasource.atl03.catalog.IndexedWindow;
import org.atl03.datasource.delta.UnsupportedTableException;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.catalog.CatalogReader;
import org.atl03.datasource.spark.catalog.CatalogTable;
import org.atl03.datasource.spark.catalog.SparkTableRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a scan from a catalog instead of the granules: the pushed filters become a predicate on the catalog's window
 * rows ({@link CatalogPredicate}) that skips files and row groups by their statistics, whether the driver reads the
 * catalog ({@link CatalogFiles}, no Spark job) or Spark does (Delta's data skipping); each row returned is checked
 * exactly against its beam's region ({@code WindowBounds.mayHold}), and the surviving windows of a beam are cut into
 * the same partitions planning from the file would make, carrying the windows' chunk manifests. The segment-level
 * narrowing that planning from the file does on the driver is left to the tasks ({@link DeferredSegments}), which
 * read the segment index of their window only. The driver opens a granule only for a dataset the catalog has no
 * manifest of.
 */
final class CatalogScanPlanner {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogScanPlanner.class);

  private final Atl03Options options;
  private final PhotonColumns columns;
  private final PushedFilters pushed;

  CatalogScanPlanner(Atl03Options options, PhotonColumns columns, PushedFilters pushed) {
    this.options = options;
    this.columns = columns;
    this.pushed = pushed;
  }

  /** Plans for {@code parallelism} task slots (Spark's default parallelism): they decide the partitions' size. */
  ScanPlanner.Plan plan(Configuration conf, int parallelism) throws IOException {
    Storage storage = new HadoopStorage(conf);
    CatalogPrefixes allowed = CatalogPrefixes.of(options.catalog(), storage, conf);
    Set<String> needed = new LinkedHashSet<>();
    columns.heightsDatasets().forEach(d -> needed.add("heights/" + d));
    columns.geolocationDatasets().forEach(d -> needed.add("geolocation/" + d));
    GranuleSurvey.DEFAULT_GEOLOCATION.forEach(d -> needed.add("geolocation/" + d)); // the segment index
    CatalogFilter predicate = CatalogPredicate.of(pushed.used(), options.pruneMarginMeters(),
        options.pruneMarginSeconds());
    Windows windows = null;
    if (!options.catalogThroughSpark()) {
      try {
        windows = onTheDriver(storage, predicate, needed, allowed);
      } catch (UnsupportedTableException e) {
        LOG.warn("Catalog {} is read through Spark: {}", options.catalog(), e.getMessage());
      }
    }
    if (windows == null) {
      windows = throughSpark(predicate, needed, allowed);
    }

    ReadMetrics metrics = new ReadMetrics();
    Map<String, Atl03Granule> opened = new HashMap<>();
    GranuleReadOptions readOptions = GranuleSettings.from(conf);
    List<Atl03InputPartition> partitions = new ArrayList<>();
    long selected = windows.beams().stream().flatMap(List::stream).mapToLong(w -> w.window().photons().length())
        .sum();
    long partitionPhotons = Atl03Options.partitionPhotons(selected, parallelism);
    try {
      for (List<IndexedWindow> beam : windows.beams()) {
        planBeam(beam, partitionPhotons, partitions, opened, storage, readOptions, metrics);
      }
    } finally {
      for (Atl03Granule g : opened.values()) {
        g.close();
      }
    }
    return new ScanPlanner.Plan(List.copyOf(partitions), metrics.bytes(), metrics.requests(), List.of(),
        windows.filesRead(), windows.bytesRead());
  }

  /** The kept windows of each beam, with their manifests, and what reading the catalog took. */
  private record Windows(List<List<IndexedWindow>> beams, long filesRead, long bytesRead) {}

  /**
   * Reads the catalog on the driver ({@link CatalogFiles}): the matching windows without manifests, checked exactly
   * here, then the manifests of those kept only (one pass when no position or time conjunct can drop windows here).
   */
  private Windows onTheDriver(Storage storage, CatalogFilter predicate, Set<String> needed, CatalogPrefixes allowed)
      throws IOException {
    try (CatalogFiles catalog = CatalogFiles.open(storage, options.catalog())) {
      boolean twoPasses = CatalogPredicate.narrowedOnTheDriver(pushed.used());
      List<List<CatalogFiles.Found>> beams = keptBeams(catalog.windows(predicate, !twoPasses, needed),
          CatalogFiles.Found::window, allowed);
      List<List<IndexedWindow>> windows = new ArrayList<>();
      if (twoPasses) {
        List<IndexedWindow> all = catalog.withManifests(beams.stream().flatMap(List::stream).toList(), needed);
        int at = 0;
        for (List<CatalogFiles.Found> beam : beams) {
          windows.add(new ArrayList<>(all.subList(at, at + beam.size())));
          at += beam.size();
        }
      } else {
        beams.forEach(b -> windows.add(b.stream().map(CatalogFiles.Found::window).toList()));
      }
      return new Windows(windows, catalog.filesRead(), catalog.bytesRead());
    }
  }

  private Windows throughSpark(CatalogFilter filter, Set<String> needed, CatalogPrefixes allowed) {
    SparkSession spark = SparkSession.active();
    Dataset<Row> matching = CatalogReader.table(spark, options.catalog()).filter(CatalogPredicate.column(filter));
    Column manifests = filter(col("datasets"), d -> d.getField("name").isin(needed.toArray()));
    long filesRead = 0;
    long bytesRead = 0;
    List<List<IndexedWindow>> beams;
    if (CatalogPredicate.narrowedOnTheDriver(pushed.used())
        && CatalogReader.tableBytes(spark, options.catalog()) > options.catalogOneQueryMaxBytes()) {
      // two queries: the windows without their manifests (a few KB each), checked exactly here, then the manifests
      // of those kept, from their granules' rows only. Should an index run commit in between, a window whose
      // manifest is gone is planned from its file, and a replaced granule fails its version check in the task.
      // A small catalog is read in one: its manifests cost less than a second query's round trips.
      Dataset<Row> facts = matching.drop("datasets");
      beams = keptBeams(windows(facts), w -> w, allowed);
      CatalogReader.FilesRead read = CatalogReader.filesRead(facts);
      filesRead += read.files();
      bytesRead += read.bytes();
      if (!beams.isEmpty()) {
        Dataset<Row> withManifests = matching.filter(col("path").isin(beams.stream()
                .map(b -> b.get(0).location()).distinct().toArray()))
            .select(col("path"), col("beam"), col("photon_start"), manifests.as("datasets"));
        Map<String, Row> byWindow = new HashMap<>();
        for (Row r : withManifests.collectAsList()) {
          byWindow.put(windowKey(r.getString(0), r.getString(1), r.getLong(2)), r);
        }
        read = CatalogReader.filesRead(withManifests);
        filesRead += read.files();
        bytesRead += read.bytes();
        for (List<IndexedWindow> beam : beams) {
          beam.replaceAll(w -> {
            Row r = byWindow.get(windowKey(w.location(), w.window().beam(), w.window().photons().start()));
            return w.withManifest(r == null ? Map.of()
                : CatalogRows.manifest(w.location(), w.window().beam(), new SparkTableRow(r), null));
          });
        }
      }
    } else {
      Dataset<Row> windows = matching.withColumn("datasets", manifests);
      beams = keptBeams(windows(windows), w -> w, allowed);
      CatalogReader.FilesRead read = CatalogReader.filesRead(windows);
      filesRead += read.files();
      bytesRead += read.bytes();
    }
    return new Windows(beams, filesRead, bytesRead);
  }

  private static List<IndexedWindow> windows(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(CatalogTable::window).toList();
  }

  private static String windowKey(String path, String beam, long photonStart) {
    return path + "\n" + beam + "\n" + photonStart;
  }

  /**
   * The windows grouped by beam, in path, beam and photon order (sorted here: a Spark sort is a shuffle), each beam's
   * windows {@link #kept}, beams with none left out.
   */
  private <T> List<List<T>> keptBeams(List<T> found, Function<T, IndexedWindow> window, CatalogPrefixes allowed) {
    List<T> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparing((T t) -> window.apply(t).location())
        .thenComparing(t -> window.apply(t).window().beam())
        .thenComparingLong(t -> window.apply(t).window().photons().start()));
    List<List<T>> beams = new ArrayList<>();
    List<T> beam = new ArrayList<>();
    for (T t : sorted) {
      IndexedWindow w = window.apply(t);
      allowed.check(w.location());
      if (!beam.isEmpty() && !(window.apply(beam.get(0)).location().equals(w.location())
          && window.apply(beam.get(0)).window().beam().equals(w.window().beam()))) {
        addKept(beam, window, beams);
        beam = new ArrayList<>();
      }
      beam.add(t);
    }
    if (!beam.isEmpty()) {
      addKept(beam, window, beams);
    }
    return beams;
  }

  private <T> void addKept(List<T> beam, Function<T, IndexedWindow> window, List<List<T>> beams) {
    List<T> kept = kept(beam, window);
    if (!kept.isEmpty()) {
      beams.add(new ArrayList<>(kept));
    }
  }

  /** The windows of one beam the query may read: the beam selected, each window's bounds checked exactly. */
  private <T> List<T> kept(List<T> windows, Function<T, IndexedWindow> window) {
    IndexedWindow first = window.apply(windows.get(0));
    CatalogWindow head = first.window();
    BeamFacts facts = new BeamFacts(first.granule(), head.beam(), head.beamStrength(), first.rgt(), first.cycle(),
        first.sdpGpsEpoch());
    if (!options.selectsBeam(head.beam(), head.beamStrength()) || !pushed.selectsBeam(facts)) {
      return List.of();
    }
    PhotonFilter filter = pushed.photons(facts);
    if (filter.selectsNothing()) {
      return List.of();
    }
    if (filter.selectsEverything()) {
      return windows;
    }
    List<T> kept = new ArrayList<>();
    for (T t : windows) {
      if (window.apply(t).window().bounds().mayHold(filter, options.pruneMarginMeters(),
          options.pruneMarginSeconds())) {
        kept.add(t);
      }
    }
    return kept;
  }

  /** Whether the windows, in order, follow each other without a gap. */
  static boolean contiguous(List<PhotonRange> windows) {
    for (int i = 1; i < windows.size(); i++) {
      if (windows.get(i).start() != windows.get(i - 1).end()) {
        return false;
      }
    }
    return true;
  }

  private void planBeam(List<IndexedWindow> windows, long partitionPhotons, List<Atl03InputPartition> out,
      Map<String, Atl03Granule> opened, Storage storage, GranuleReadOptions readOptions, ReadMetrics metrics)
      throws IOException {
    IndexedWindow first = windows.get(0);
    CatalogWindow head = first.window();
    BeamFacts facts = new BeamFacts(first.granule(), head.beam(), head.beamStrength(), first.rgt(), first.cycle(),
        first.sdpGpsEpoch());
    PhotonFilter filter = pushed.photons(facts);
    boolean filtered = !filter.selectsEverything();
    List<CatalogWindow> kept = windows.stream().map(IndexedWindow::window).toList();
    List<PhotonRange> ranges = kept.stream().map(CatalogWindow::photons).toList();
    long chunkRows = head.chunkRows();
    // a task reads the segment index of its partition's first to last window: where the filter dropped windows
    // between kept ones, partitions stay as small as before, so as not to bridge the gaps
    long photonsPerPartition = contiguous(ranges) ? partitionPhotons : Atl03Options.MIN_PARTITION_PHOTONS;
    for (PhotonSplit split : PartitionPlanner.plan(ranges, first.beamPhotons(), chunkRows,
        options.chunksPerPartition(chunkRows, photonsPerPartition))) {
      List<CatalogWindow> parts = kept.stream().filter(w -> w.photons().intersect(split.window()) != null)
          .toList();
      PhotonRange span = new PhotonRange(split.ranges().get(0).start(),
          split.ranges().get(split.ranges().size() - 1).end());
      int firstSegment = parts.stream().mapToInt(CatalogWindow::firstSegment).min().orElseThrow();
      int endSegment = parts.stream().mapToInt(CatalogWindow::endSegment).max().orElseThrow();
      long firstPhoton = parts.stream().filter(w -> w.firstSegment() == firstSegment).findFirst().orElseThrow()
          .firstSegmentPhoton();
      Manifests manifests = new Manifests(first, parts, opened, storage, readOptions, metrics);
      List<ChunkIndex> heights = new ArrayList<>();
      for (String d : columns.heightsDatasets()) {
        ChunkIndex index = manifests.get("heights/" + d, span.start(), span.end());
        if (index.dataset().rows() != first.beamPhotons()) {
          throw new IllegalArgumentException(index.dataset().describe() + " has " + index.dataset().rows()
              + " rows, expected " + first.beamPhotons());
        }
        heights.add(index);
      }
      DeferredSegments deferred = null;
      List<ChunkIndex> geolocation = new ArrayList<>();
      if (filtered || columns.needsSegments()) {
        for (String d : columns.geolocationDatasets()) {
          geolocation.add(manifests.get("geolocation/" + d, firstSegment, endSegment));
        }
        boolean box = filtered && filter.box() != null;
        boolean time = filtered && filter.hasTimeWindow();
        deferred = new DeferredSegments(firstSegment, firstPhoton, endSegment, filtered ? filter : null,
            options.pruneMarginMeters(), options.pruneMarginSeconds(),
            manifests.get("geolocation/segment_ph_cnt", firstSegment, endSegment),
            columns.needsSegmentIds() ? manifests.optional("geolocation/segment_id", firstSegment, endSegment) : null,
            box ? manifests.get("geolocation/reference_photon_lat", firstSegment, endSegment) : null,
            box ? manifests.get("geolocation/reference_photon_lon", firstSegment, endSegment) : null,
            time ? manifests.get("geolocation/delta_time", firstSegment, endSegment) : null);
      }
      out.add(new Atl03InputPartition(first.location(), null, first.granule(), head.beam(), head.beamStrength(),
          first.rgt(), first.cycle(), first.sdpGpsEpoch(), split.window(), split.ranges(), chunkRows,
          List.copyOf(heights), null, List.copyOf(geolocation), first.version(), deferred));
    }
  }

  /**
   * The chunks of a dataset over some rows: from the windows' manifests (a chunk two windows share listed once),
   * else from the granule itself, opened once per planning.
   */
  private final class Manifests {
    private final IndexedWindow granule;
    private final List<CatalogWindow> windows;
    private final Map<String, Atl03Granule> opened;
    private final Storage storage;
    private final GranuleReadOptions readOptions;
    private final ReadMetrics metrics;

    Manifests(IndexedWindow granule, List<CatalogWindow> windows, Map<String, Atl03Granule> opened, Storage storage,
        GranuleReadOptions readOptions, ReadMetrics metrics) {
      this.granule = granule;
      this.windows = windows;
      this.opened = opened;
      this.storage = storage;
      this.readOptions = readOptions;
      this.metrics = metrics;
    }

    ChunkIndex get(String dataset, long start, long end) throws IOException {
      ChunkIndex index = fromCatalog(dataset);
      if (index == null) {
        String path = windows.get(0).beam() + "/" + dataset;
        Atl03Granule g = open();
        g.require(windows.get(0).beam(), List.of(path));
        columns.checkType(g.file().dataset(path), path);
        return g.file().chunkIndex(path).forRows(start, end);
      }
      columns.checkType(index.dataset(), index.dataset().path());
      return index.forRows(start, end);
    }

    /** As {@link #get}, or null when neither the catalog nor the granule has the dataset. */
    ChunkIndex optional(String dataset, long start, long end) throws IOException {
      if (fromCatalog(dataset) == null && !open().file().hasDataset(windows.get(0).beam() + "/" + dataset)) {
        return null;
      }
      return get(dataset, start, end);
    }

    private ChunkIndex fromCatalog(String dataset) {
      Map<Long, ChunkDescriptor> chunks = new LinkedHashMap<>();
      ChunkIndex any = null;
      for (CatalogWindow w : windows) {
        ChunkIndex index = w.manifest().get(dataset);
        if (index == null) {
          return null;
        }
        any = index;
        for (ChunkDescriptor c : index.chunks()) {
          chunks.putIfAbsent(c.firstRow(), c);
        }
      }
      return ChunkIndex.of(any.dataset(), List.copyOf(chunks.values()));
    }

    private Atl03Granule open() throws IOException {
      Atl03Granule g = opened.get(granule.location());
      if (g == null) {
        g = Granules.openVersion(granule.location(), granule.version(), storage, readOptions, metrics);
        opened.put(granule.location(), g);
      }
      return g;
    }
  }
}
