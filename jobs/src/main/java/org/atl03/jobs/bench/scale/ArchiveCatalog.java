package org.atl03.jobs.bench.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.atl03.catalog.BeamEntry;
import org.atl03.datasource.atl03.catalog.CatalogWindow;
import org.atl03.datasource.atl03.catalog.GranuleEntry;
import org.atl03.datasource.atl03.catalog.GranuleName;
import org.atl03.datasource.atl03.catalog.IndexedWindow;
import org.atl03.datasource.atl03.catalog.WindowBounds;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.io.FileVersion;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.datasource.spark.catalog.CatalogTable;
import org.atl03.jobs.bench.Directories;

/**
 * A catalog of an archive of ATL03 granules that are not at hand (NASA's is ~500,000), synthesized row by row and
 * written by {@link CatalogIndexer#create}, the layout {@code index} writes, so that planning against it can be
 * measured at archive scale.
 *
 * <p>The granules follow ICESat-2's orbit (a circular orbit inclined 92°, 94.2 minutes, 14 granules an orbit by
 * orbit argument, 1,387 reference ground tracks repeating every 91 days) from the mission's first day, one after
 * another, so they have the archive's spread in place and time: each month ~6,400 granules over the whole globe,
 * tracks converging at ±88°. Six beams in three pairs 3.3 km apart (90 m within a pair), strong on the left
 * (sc_orient 0) or the right. Photons per strong beam are drawn log-normal (median 15 M, clipped to 1–80 M: ~72 M
 * photons a granule, as a ~2 GB granule holds), a weak beam a quarter; windows are {@code windowPhotons} along the
 * track, their bounds sampled along it (the antimeridian and the turning points included).
 *
 * <p>Chunk manifests: every window in {@code manifestMonth} carries the datasets of a template window indexed from
 * a real (generated) granule, its chunks re-laid for the window's rows with offsets and sizes drawn around the
 * template's, so that the files a query of that month reads are as large as an archive's. Windows of other months
 * carry none: a query of the manifest month never reads their files (the benchmark checks that it reads only files
 * whose statistics can match), and writing 500,000 granules' manifests would take a disk of its own.
 */
final class ArchiveCatalog {

  /** What to synthesize: the catalog is cached under a name made of these. */
  record Spec(int granules, long seed, long windowPhotons, YearMonth manifestMonth) implements Serializable {
    String directoryName() {
      return "archive-" + granules + "-s" + seed + "-w" + windowPhotons + "-m" + manifestMonth + "-layout"
          + CatalogTable.VERSION;
    }
  }

  /**
   * The benchmark's query: a box around the middle of the gt2l track of the manifest month's first granule of
   * region 2 (ascending, 26–51°N), as long as 1 % of that granule's track (~29 km) and as wide, and the month.
   */
  record Query(double south, double north, double west, double east, Instant from, Instant to) {
    Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("south", south);
      m.put("north", north);
      m.put("west", west);
      m.put("east", east);
      m.put("from", from.toString());
      m.put("to", to.toString());
      return m;
    }
  }

  static Query query(Spec spec) {
    Instant from = spec.manifestMonth().atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = spec.manifestMonth().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    int i = 0;
    while (start(i).isBefore(from) || i % REGIONS != 1) {
      i++;
    }
    double u = 1.5 * 360.0 / REGIONS;
    double[] center = position(i / REGIONS, u, BEAM_OFFSETS[2]);
    double half = 0.01 * 360.0 / REGIONS * 111.2 / 111.32 / 2; // degrees of latitude: 1 % of the track, halved
    double halfLon = half / Math.cos(Math.toRadians(center[0]));
    return new Query(center[0] - half, center[0] + half, center[1] - halfLon, center[1] + halfLon, from, to);
  }

  /** The mission's first science data (2018-10-14). */
  static final Instant MISSION_START = Instant.parse("2018-10-14T00:00:00Z");
  static final double INCLINATION_DEG = 92.0;
  static final double ORBIT_SECONDS = 94.22 * 60;
  static final double SIDEREAL_DAY_SECONDS = 86_164.1;
  static final int REGIONS = 14;
  static final int TRACKS = 1_387;
  static final double METERS_PER_DEGREE = 111_320;
  /** Cross-track offsets of gt1l … gt3r, meters (pairs 3.3 km apart, 90 m within a pair). */
  static final double[] BEAM_OFFSETS = {-3345, -3255, -45, 45, 3255, 3345};
  static final String[] BEAMS = {"gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r"};
  static final String ARCHIVE = "file:/archive/ATLAS/ATL03/006/";
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd/")
      .withZone(ZoneOffset.UTC);
  /** delta_time of the Unix epoch: delta_time = Unix seconds + this (no leap second since 2017). */
  static final double DELTA_TIME_OF_UNIX_EPOCH = -AtlasSdpTime.toUnixMicros(0.0) / 1e6;

  private ArchiveCatalog() {}

  /** The catalog of {@code spec} under {@code work}, synthesized once. */
  static Path obtain(SparkSession spark, Path work, Spec spec, IndexedWindow template, PrintStream out)
      throws IOException {
    Path dir = work.resolve(spec.directoryName());
    if (Files.exists(dir.resolve("_COMPLETE"))) {
      return dir.resolve("catalog");
    }
    Directories.delete(dir);
    out.printf("== synthesizing the catalog of %,d archive granules into %s (once)%n", spec.granules(), dir);
    long started = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<IndexedWindow> shared = jsc.broadcast(template);
    int slices = Math.max(jsc.defaultParallelism(), spec.granules() / 2_000);
    List<Integer> ids = new ArrayList<>(spec.granules());
    for (int i = 0; i < spec.granules(); i++) {
      ids.add(i);
    }
    JavaRDD<Row> rows = jsc.parallelize(ids, slices).flatMap(new Rows(spec, shared));
    long windows = jsc.parallelize(ids, slices).map(i -> windowCount(spec, i)).reduce(Long::sum);
    CatalogIndexer.create(spark, rows, windows, dir.resolve("catalog").toString());
    Files.writeString(dir.resolve("_COMPLETE"), windows + " windows\n");
    out.printf("   %,d windows, synthesized in %.0f s%n", windows, (System.nanoTime() - started) / 1e9);
    return dir.resolve("catalog");
  }

  /** Granule {@code i}'s photons per beam (gt1l … gt3r). */
  static long[] beamPhotons(Spec spec, int i) {
    SplittableRandom random = new SplittableRandom(spec.seed() * 1_000_003L + i);
    double strong = Math.exp(Math.log(15e6) + 0.7 * gaussian(random));
    strong = Math.max(1e6, Math.min(80e6, strong));
    boolean leftStrong = scOrient(i) == 0;
    long[] photons = new long[BEAMS.length];
    for (int b = 0; b < BEAMS.length; b++) {
      boolean isStrong = (b % 2 == 0) == leftStrong;
      double jitter = 1 + 0.1 * gaussian(random);
      photons[b] = Math.max(1, Math.round((isStrong ? strong : strong / 4) * Math.max(0.5, jitter)));
    }
    return photons;
  }

  static long windowCount(Spec spec, int i) {
    long n = 0;
    for (long p : beamPhotons(spec, i)) {
      n += (p + spec.windowPhotons() - 1) / spec.windowPhotons();
    }
    return n;
  }

  /** sc_orient flips every ~6 months (yaw flips): by the granule's time. */
  static int scOrient(int i) {
    double days = orbitStartSeconds(i / REGIONS) / 86_400;
    return (int) (days / 182.6) % 2;
  }

  static double orbitStartSeconds(int orbit) {
    return orbit * ORBIT_SECONDS;
  }

  /** Granule {@code i}'s first instant. */
  static Instant start(int i) {
    double s = orbitStartSeconds(i / REGIONS) + (i % REGIONS) * ORBIT_SECONDS / REGIONS;
    return MISSION_START.plusMillis(Math.round(s * 1000));
  }

  /**
   * The ground track of orbit {@code orbit} at orbit argument {@code u} (degrees from the ascending node),
   * {@code offset} meters to the right of the track: {lat, lon in [-180, 180), seconds since the orbit's start}.
   */
  static double[] position(int orbit, double u, double offset) {
    double inc = Math.toRadians(INCLINATION_DEG);
    double ur = Math.toRadians(u);
    double lat = Math.toDegrees(Math.asin(Math.sin(inc) * Math.sin(ur)));
    double seconds = u / 360 * ORBIT_SECONDS;
    // node longitudes of successive tracks 360 * period / day apart, westward (the Earth turns under the orbit)
    double node = -((orbit % TRACKS) * 360.0 * ORBIT_SECONDS / SIDEREAL_DAY_SECONDS) % 360;
    double lon = node + Math.toDegrees(Math.atan2(Math.cos(inc) * Math.sin(ur), Math.cos(ur)))
        - 360 * seconds / SIDEREAL_DAY_SECONDS;
    if (offset != 0) {
      // the track's heading from a point a little ahead, then the offset to its right
      double[] ahead = position(orbit, u + 0.01, 0);
      double dLat = ahead[0] - lat;
      double dLon = normalize(ahead[1] - lon) * Math.cos(Math.toRadians(lat));
      double norm = Math.hypot(dLat, dLon);
      double rightLat = -dLon / norm;
      double rightLon = dLat / norm;
      lat += offset * rightLat / METERS_PER_DEGREE;
      lon += offset * rightLon / (METERS_PER_DEGREE * Math.max(0.01, Math.cos(Math.toRadians(lat))));
    }
    return new double[] {Math.max(-90, Math.min(90, lat)), normalize(lon), seconds};
  }

  static double normalize(double lon) {
    return ((lon + 180) % 360 + 360) % 360 - 180;
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /**
   * The bounds of a stretch of a beam's track, u from {@code u0} to {@code u1}: sampled every 0.2° of orbit
   * argument (~22 km) and at both ends, the longitudes unwrapped so a stretch over the antimeridian has
   * lonWest > lonEast, widened by the distance a sample step can hide.
   */
  static WindowBounds bounds(int orbit, double u0, double u1, double offset, double dt0, double dt1) {
    int steps = Math.max(1, (int) Math.ceil((u1 - u0) / 0.2));
    List<Double> us = new ArrayList<>(steps + 3);
    for (int k = 0; k <= steps; k++) {
      us.add(u0 + (u1 - u0) * k / steps);
    }
    for (double turn : new double[] {90, 270}) { // the northern and southern turning points
      if (turn > u0 && turn < u1) {
        us.add(turn);
      }
    }
    us.sort(null);
    double latMin = Double.POSITIVE_INFINITY;
    double latMax = Double.NEGATIVE_INFINITY;
    double west = Double.POSITIVE_INFINITY;
    double east = Double.NEGATIVE_INFINITY;
    double previous = Double.NaN;
    double unwrapped = 0;
    for (double u : us) {
      double[] p = position(orbit, u, offset);
      latMin = Math.min(latMin, p[0]);
      latMax = Math.max(latMax, p[0]);
      unwrapped = Double.isNaN(previous) ? p[1] : unwrapped + normalize(p[1] - previous);
      previous = p[1];
      west = Math.min(west, unwrapped);
      east = Math.max(east, unwrapped);
    }
    // what a chord between samples 22 km apart can miss of the arc: well under this
    double slack = 0.01;
    latMin = Math.max(-90, latMin - slack);
    latMax = Math.min(90, latMax + slack);
    double slackLon = slack / Math.max(0.02, Math.cos(Math.toRadians(Math.max(Math.abs(latMin), Math.abs(latMax)))));
    west -= slackLon;
    east += slackLon;
    if (east - west >= 360) {
      west = -180;
      east = 180;
    } else {
      west = normalize(west);
      east = normalize(east);
      if (east == -180) {
        east = 180;
      }
    }
    return new WindowBounds(latMin, latMax, west, east, dt0, dt1);
  }

  /** The rows of one granule: its granule row, then its windows'. */
  static final class Rows implements FlatMapFunction<Integer, Row> {
    private final Spec spec;
    private final Broadcast<IndexedWindow> template;

    Rows(Spec spec, Broadcast<IndexedWindow> template) {
      this.spec = spec;
      this.template = template;
    }

    @Override
    public Iterator<Row> call(Integer i) {
      return rows(spec, i, template.value()).iterator();
    }
  }

  static List<Row> rows(Spec spec, int i, IndexedWindow template) {
    int orbit = i / REGIONS;
    int region = i % REGIONS + 1;
    int rgt = orbit % TRACKS + 1;
    int cycle = orbit / TRACKS + 1;
    Instant start = start(i);
    String name = String.format("ATL03_%s_%04d%02d%02d_006_01.h5", NAME_TIME.format(start), rgt, cycle, region);
    String location = ARCHIVE + DAY_PATH.format(start) + name;
    long[] photons = beamPhotons(spec, i);
    int scOrient = scOrient(i);
    double u0 = (region - 1) * 360.0 / REGIONS;
    double u1 = region * 360.0 / REGIONS;
    double dtOrbit = MISSION_START.getEpochSecond() + orbitStartSeconds(orbit) + DELTA_TIME_OF_UNIX_EPOCH;
    // ~20 m segments along the granule's 1/14 orbit
    int segments = (int) Math.round((u1 - u0) * 111_200 / 20);
    SplittableRandom random = new SplittableRandom(spec.seed() * 7_919L + i);
    long size = 0;
    for (long p : photons) {
      size += p * 26; // bytes a photon of a compressed ATL03 granule, all its datasets
    }
    FileVersion version = new FileVersion(size, start.plusSeconds(86_400 * 30).toEpochMilli(),
        "\"" + Long.toHexString(random.nextLong()) + "\"");
    boolean manifests = YearMonth.from(start.atZone(ZoneOffset.UTC)).equals(spec.manifestMonth());

    List<BeamEntry> beams = new ArrayList<>();
    List<CatalogWindow> windows = new ArrayList<>();
    WindowBounds all = null;
    long chunkRows = template.window().chunkRows();
    for (int b = 0; b < BEAMS.length; b++) {
      String strength = (b % 2 == 0) == (scOrient == 0) ? "strong" : "weak";
      beams.add(new BeamEntry(BEAMS[b], strength, photons[b], segments, chunkRows));
      long offsetBase = 40_000_000L + random.nextLong(1_000_000_000L);
      for (long first = 0; first < photons[b]; first += spec.windowPhotons()) {
        long end = Math.min(photons[b], first + spec.windowPhotons());
        double f0 = (double) first / photons[b];
        double f1 = (double) end / photons[b];
        double wu0 = u0 + (u1 - u0) * f0;
        double wu1 = u0 + (u1 - u0) * f1;
        double dt0 = dtOrbit + wu0 / 360 * ORBIT_SECONDS;
        double dt1 = dtOrbit + wu1 / 360 * ORBIT_SECONDS;
        WindowBounds bounds = bounds(orbit, wu0, wu1, BEAM_OFFSETS[b], dt0, dt1);
        all = all == null ? bounds : all.union(bounds);
        int firstSegment = (int) Math.floor(f0 * segments);
        int endSegment = Math.max(firstSegment + 1, (int) Math.ceil(f1 * segments));
        Map<String, ChunkIndex> manifest = manifests
            ? manifest(template, location, BEAMS[b], first, end, photons[b], firstSegment, endSegment, segments,
                offsetBase + first * 3, random)
            : Map.of();
        windows.add(new CatalogWindow(BEAMS[b], strength, new PhotonRange(first, end), firstSegment, endSegment,
            first, chunkRows, bounds, manifest));
      }
    }
    GranuleEntry granule = new GranuleEntry(location, name, GranuleName.parse(name), rgt, cycle, scOrient,
        AtlasSdpTime.ATLAS_SDP_GPS_EPOCH, beams, all, Boolean.FALSE);
    Timestamp indexedAt = Timestamp.from(LocalDate.of(2026, 12, 7).atStartOfDay(ZoneOffset.UTC).toInstant());
    List<Row> rows = new ArrayList<>(windows.size() + 1);
    rows.add(CatalogTable.granuleRow(granule, version, indexedAt));
    for (CatalogWindow w : windows) {
      rows.add(CatalogTable.windowRow(granule, w, version, indexedAt));
    }
    return rows;
  }

  /**
   * The template window's datasets re-laid over rows [first, end) of a beam of {@code beamPhotons} (heights) or
   * segments [firstSegment, endSegment) of {@code segments} (geolocation): each chunk of the range, at increasing
   * offsets from {@code offsetBase}, stored sizes drawn within ±25 % of the template's mean.
   */
  static Map<String, ChunkIndex> manifest(IndexedWindow template, String location, String beam, long first, long end,
      long beamPhotons, int firstSegment, int endSegment, int segments, long offsetBase, SplittableRandom random) {
    Map<String, ChunkIndex> out = new LinkedHashMap<>();
    long offset = offsetBase;
    for (Map.Entry<String, ChunkIndex> e : new TreeMap<>(template.window().manifest()).entrySet()) {
      DatasetInfo info = e.getValue().dataset();
      boolean heights = e.getKey().startsWith("heights/");
      long rows = heights ? beamPhotons : segments;
      long from = heights ? first : firstSegment;
      long to = heights ? end : endSegment;
      long[] shape = info.shape().clone();
      shape[0] = rows;
      DatasetInfo relaid = DatasetInfo.chunked(location, "/" + beam + "/" + e.getKey(), info.type(), shape,
          info.chunkShape(), info.filters(), info.fillValueBytes());
      long chunk = info.chunkShape()[0];
      double meanSize = e.getValue().chunks().stream().mapToInt(ChunkDescriptor::storedSize).average().orElse(1);
      List<ChunkDescriptor> chunks = new ArrayList<>();
      for (long c = from / chunk * chunk; c < to; c += chunk) {
        long[] at = new long[shape.length];
        at[0] = c;
        int stored = (int) Math.max(1, Math.round(meanSize * (0.75 + 0.5 * random.nextDouble())));
        chunks.add(new ChunkDescriptor(at, offset, stored, 0, c, Math.min(chunk, rows - c)));
        offset += stored + random.nextInt(4096);
      }
      out.put(e.getKey(), ChunkIndex.of(relaid, chunks));
    }
    return out;
  }
}
