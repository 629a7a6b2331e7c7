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
import org.apache.hadoop.conf.Configuration;
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
import org.atl03.datasource.atl03.catalog.CatalogWindow;
import org.atl03.datasource.atl03.catalog.GranuleSurvey;
import org.atl03.datasource.atl03.catalog.IndexedWindow;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.catalog.CatalogReader;
import org.atl03.datasource.spark.catalog.CatalogTable;

/**
 * Plans a scan from a catalog instead of the granules: the pushed filters become a query on the catalog's window
 * rows ({@link CatalogPredicate}, for Delta's data skipping), each row returned is checked exactly against its beam's
 * region ({@code WindowBounds.mayHold}), and the surviving windows of a beam are cut into the same partitions
 * planning from the file would make, carrying the windows' chunk manifests. The segment-level narrowing that
 * planning from the file does on the driver is left to the tasks ({@link DeferredSegments}), which read the
 * segment index of their window only. The driver opens a granule only for a dataset the catalog has no manifest of.
 */
final class CatalogScanPlanner {

  private final Atl03Options options;
  private final PhotonColumns columns;
  private final PushedFilters pushed;

  CatalogScanPlanner(Atl03Options options, PhotonColumns columns, PushedFilters pushed) {
    this.options = options;
    this.columns = columns;
    this.pushed = pushed;
  }

  ScanPlanner.Plan plan(Configuration conf) throws IOException {
    SparkSession spark = SparkSession.active();
    Storage storage = new HadoopStorage(conf);
    CatalogPrefixes allowed = CatalogPrefixes.of(options.catalog(), storage, conf);
    Set<String> needed = new LinkedHashSet<>();
    columns.heightsDatasets().forEach(d -> needed.add("heights/" + d));
    columns.geolocationDatasets().forEach(d -> needed.add("geolocation/" + d));
    GranuleSurvey.DEFAULT_GEOLOCATION.forEach(d -> needed.add("geolocation/" + d)); // the segment index
    Dataset<Row> windows = CatalogReader.table(spark, options.catalog())
        .filter(CatalogPredicate.of(pushed.used(), options.pruneMarginMeters(), options.pruneMarginSeconds()))
        .withColumn("datasets", filter(col("datasets"), d -> d.getField("name").isin(needed.toArray())));
    // sorted here, not by Spark: a sort is a shuffle, a second stage for a few thousand rows
    List<Row> rows = new ArrayList<>(windows.collectAsList());
    rows.sort(Comparator.comparing((Row r) -> r.<String>getAs("path")).thenComparing(r -> r.<String>getAs("beam"))
        .thenComparingLong(r -> r.<Long>getAs("photon_start")));

    ReadMetrics metrics = new ReadMetrics();
    Map<String, Atl03Granule> opened = new HashMap<>();
    GranuleReadOptions readOptions = GranuleSettings.from(conf);
    List<Atl03InputPartition> partitions = new ArrayList<>();
    try {
      List<IndexedWindow> beam = new ArrayList<>();
      for (Row row : rows) {
        CatalogReader.checkVersion(options.catalog(), row.<Integer>getAs("catalog_version"));
        IndexedWindow w = CatalogTable.window(row);
        allowed.check(w.location());
        if (!beam.isEmpty() && !(beam.get(0).location().equals(w.location())
            && beam.get(0).window().beam().equals(w.window().beam()))) {
          planBeam(beam, partitions, opened, storage, readOptions, metrics);
          beam.clear();
        }
        beam.add(w);
      }
      if (!beam.isEmpty()) {
        planBeam(beam, partitions, opened, storage, readOptions, metrics);
      }
    } finally {
      for (Atl03Granule g : opened.values()) {
        g.close();
      }
    }
    CatalogReader.FilesRead read = CatalogReader.filesRead(windows);
    return new ScanPlanner.Plan(List.copyOf(partitions), metrics.bytes(), metrics.requests(), List.of(),
        read.files(), read.bytes());
  }

  private void planBeam(List<IndexedWindow> windows, List<Atl03InputPartition> out, Map<String, Atl03Granule> opened,
      Storage storage, GranuleReadOptions readOptions, ReadMetrics metrics) throws IOException {
    IndexedWindow first = windows.get(0);
    CatalogWindow head = first.window();
    BeamFacts facts = new BeamFacts(first.granule(), head.beam(), head.beamStrength(), first.rgt(), first.cycle(),
        first.sdpGpsEpoch());
    if (!options.selectsBeam(head.beam(), head.beamStrength()) || !pushed.selectsBeam(facts)) {
      return;
    }
    PhotonFilter filter = pushed.photons(facts);
    if (filter.selectsNothing()) {
      return;
    }
    boolean filtered = !filter.selectsEverything();
    List<CatalogWindow> kept = new ArrayList<>();
    List<PhotonRange> ranges = new ArrayList<>();
    for (IndexedWindow w : windows) {
      if (!filtered || w.window().bounds().mayHold(filter, options.pruneMarginMeters(),
          options.pruneMarginSeconds())) {
        kept.add(w.window());
        ranges.add(w.window().photons());
      }
    }
    if (kept.isEmpty()) {
      return;
    }
    long chunkRows = head.chunkRows();
    for (PhotonSplit split : PartitionPlanner.plan(ranges, first.beamPhotons(), chunkRows,
        options.chunksPerPartition(chunkRows))) {
      List<CatalogWindow> parts = kept.stream().filter(w -> !w.photons().intersect(split.window()).isEmpty())
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
