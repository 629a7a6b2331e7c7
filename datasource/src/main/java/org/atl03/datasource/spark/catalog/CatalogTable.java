package org.atl03.datasource.spark.catalog;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.catalog.BeamEntry;
import org.atl03.datasource.atl03.catalog.CatalogRows;
import org.atl03.datasource.atl03.catalog.CatalogWindow;
import org.atl03.datasource.atl03.catalog.GranuleEntry;
import org.atl03.datasource.atl03.catalog.IndexedWindow;
import org.atl03.datasource.atl03.catalog.ManifestChunks;
import org.atl03.datasource.atl03.catalog.WindowBounds;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.ElementType;
import org.atl03.datasource.io.FileVersion;

/**
 * The catalog's one Delta table: a row per granule ({@code kind = 'granule'}), per granule that could not be
 * indexed ({@code 'skipped'}, with the reason) and per planning window ({@code 'window'}), so that an index run is
 * one Delta commit. The columns data skipping uses come first (Delta keeps min/max statistics of the first 32 leaf
 * columns); the chunk manifests come last.
 *
 * <p>Bounds are those of the segments' reference photons ({@link WindowBounds}): planning widens them by its pruning
 * margins. {@code lon_min}/{@code lon_max} are for data skipping (a window across the antimeridian spans
 * [-180, 180] there); {@code lon_west}/{@code lon_east} are the exact arc. NULL bounds mean unknown (fill values).
 * {@code time_min}/{@code time_max} are {@code delta_time_min}/{@code max} as UTC times, widened by a millisecond.
 */
public final class CatalogTable {

  /** The layout this build writes and reads (see {@link CatalogRows#VERSION}). */
  public static final int VERSION = CatalogRows.VERSION;

  public static final String GRANULE = "granule";
  public static final String WINDOW = "window";
  public static final String SKIPPED = "skipped";

  /**
   * The columns Delta keeps file statistics of: every column a planning query filters on (a filter on a column
   * without statistics skips no file, even inside an OR), and the time bounds users filter on.
   */
  public static final List<String> STATISTICS_COLUMNS = List.of("kind", "lat_min", "lat_max", "lon_min", "lon_max",
      "delta_time_min", "delta_time_max", "sdp_gps_epoch", "time_min", "time_max", "rgt", "cycle", "beam",
      "beam_strength", "granule");

  static final StructType FILTER = new StructType()
      .add("id", DataTypes.IntegerType, false)
      .add("name", DataTypes.StringType, false)
      .add("client_data", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

  /** A dataset's description and the chunks of it a window needs (first row, file offset, stored size, mask). */
  static final StructType DATASET = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("type_class", DataTypes.StringType, false)
      .add("type_size", DataTypes.IntegerType, false)
      .add("big_endian", DataTypes.BooleanType, false)
      .add("signed", DataTypes.BooleanType, false)
      .add("shape", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("chunk_shape", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("filters", DataTypes.createArrayType(FILTER, false), false)
      .add("fill_value", DataTypes.BinaryType, false)
      .add("chunk_count", DataTypes.IntegerType, false)
      .add("chunks", DataTypes.BinaryType, false); // ManifestChunks

  static final StructType BEAM = new StructType()
      .add("beam", DataTypes.StringType, false)
      .add("beam_strength", DataTypes.StringType, false)
      .add("photons", DataTypes.LongType, false)
      .add("segments", DataTypes.IntegerType, false)
      .add("chunk_rows", DataTypes.LongType, false);

  public static final StructType SCHEMA = new StructType(new StructField[] {
    field("kind", DataTypes.StringType, false),
    field("lat_min", DataTypes.DoubleType, true),
    field("lat_max", DataTypes.DoubleType, true),
    field("lon_min", DataTypes.DoubleType, true),
    field("lon_max", DataTypes.DoubleType, true),
    field("delta_time_min", DataTypes.DoubleType, true),
    field("delta_time_max", DataTypes.DoubleType, true),
    field("time_min", DataTypes.TimestampType, true),
    field("time_max", DataTypes.TimestampType, true),
    field("rgt", DataTypes.IntegerType, true),
    field("cycle", DataTypes.IntegerType, true),
    field("beam", DataTypes.StringType, true),
    field("beam_strength", DataTypes.StringType, true),
    field("granule", DataTypes.StringType, false),
    field("path", DataTypes.StringType, false),
    field("sdp_gps_epoch", DataTypes.DoubleType, true),
    field("photon_start", DataTypes.LongType, true),
    field("photon_end", DataTypes.LongType, true),
    field("segment_start", DataTypes.IntegerType, true),
    field("segment_end", DataTypes.IntegerType, true),
    field("lon_west", DataTypes.DoubleType, true),
    field("lon_east", DataTypes.DoubleType, true),
    field("size", DataTypes.LongType, false),
    field("modification_time", DataTypes.TimestampType, false),
    field("etag", DataTypes.StringType, true),
    field("product", DataTypes.StringType, true),
    field("release", DataTypes.StringType, true),
    field("region", DataTypes.IntegerType, true),
    field("sc_orient", DataTypes.IntegerType, true),
    field("photons", DataTypes.LongType, true),
    field("beam_photons", DataTypes.LongType, true),
    field("segment_photon_start", DataTypes.LongType, true),
    field("chunk_rows", DataTypes.LongType, true),
    field("paged", DataTypes.BooleanType, true),
    field("reason", DataTypes.StringType, true),
    field("catalog_version", DataTypes.IntegerType, false),
    field("indexed_at", DataTypes.TimestampType, false),
    field("beams", DataTypes.createArrayType(BEAM, false), true),
    field("datasets", DataTypes.createArrayType(DATASET, false), true),
  });

  private CatalogTable() {}

  private static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }

  /** The columns a catalog must have to be read by this build, with their types. */
  public static List<String> missingColumns(StructType actual) {
    List<String> missing = new ArrayList<>();
    for (StructField f : SCHEMA.fields()) {
      if (!Arrays.asList(actual.fieldNames()).contains(f.name())) {
        missing.add(f.name() + " " + f.dataType().simpleString());
      } else {
        DataType type = actual.apply(f.name()).dataType();
        if (!type.sameType(f.dataType()) && !(type instanceof ArrayType && f.dataType() instanceof ArrayType)) {
          missing.add(f.name() + " " + f.dataType().simpleString() + " (it is " + type.simpleString() + ")");
        }
      }
    }
    return missing;
  }

  /** The row of a catalogued granule. */
  public static Row granuleRow(GranuleEntry granule, FileVersion version, Timestamp indexedAt) {
    WindowBounds b = granule.bounds();
    List<Row> beams = granule.beams().stream().map(CatalogTable::beamRow).toList();
    Object[] v = common(GRANULE, granule.name(), granule.location(), version, indexedAt);
    bounds(v, b, granule.sdpGpsEpoch());
    v[index("rgt")] = granule.rgt();
    v[index("cycle")] = granule.cycle();
    v[index("sdp_gps_epoch")] = granule.sdpGpsEpoch();
    v[index("product")] = granule.nameFields().product();
    v[index("release")] = granule.nameFields().release();
    v[index("region")] = granule.nameFields().region();
    v[index("sc_orient")] = granule.scOrient();
    v[index("photons")] = granule.photons();
    v[index("paged")] = granule.paged();
    v[index("beams")] = seq(beams);
    return RowFactory.create(v);
  }

  static Row skippedRow(String name, String location, FileVersion version, String reason, Timestamp indexedAt) {
    Object[] v = common(SKIPPED, name, location, version, indexedAt);
    v[index("reason")] = reason;
    return RowFactory.create(v);
  }

  /** The row of one of a granule's windows. */
  public static Row windowRow(GranuleEntry granule, CatalogWindow w, FileVersion version, Timestamp indexedAt) {
    Object[] v = common(WINDOW, granule.name(), granule.location(), version, indexedAt);
    bounds(v, w.bounds(), granule.sdpGpsEpoch());
    v[index("rgt")] = granule.rgt();
    v[index("cycle")] = granule.cycle();
    v[index("beam")] = w.beam();
    v[index("beam_strength")] = w.beamStrength();
    v[index("sdp_gps_epoch")] = granule.sdpGpsEpoch();
    v[index("photon_start")] = w.photons().start();
    v[index("photon_end")] = w.photons().end();
    v[index("segment_start")] = w.firstSegment();
    v[index("segment_end")] = w.endSegment();
    v[index("product")] = granule.nameFields().product();
    v[index("release")] = granule.nameFields().release();
    v[index("region")] = granule.nameFields().region();
    v[index("sc_orient")] = granule.scOrient();
    v[index("photons")] = w.photons().length();
    v[index("beam_photons")] = granule.beams().stream().filter(b -> b.beam().equals(w.beam()))
        .mapToLong(BeamEntry::photons).sum();
    v[index("segment_photon_start")] = w.firstSegmentPhoton();
    v[index("chunk_rows")] = w.chunkRows();
    List<Row> datasets = new ArrayList<>();
    w.manifest().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> datasets.add(datasetRow(e.getKey(), e.getValue())));
    v[index("datasets")] = seq(datasets);
    return RowFactory.create(v);
  }

  private static Object[] common(String kind, String name, String location, FileVersion version,
      Timestamp indexedAt) {
    Object[] v = new Object[SCHEMA.size()];
    v[index("kind")] = kind;
    v[index("granule")] = name;
    v[index("path")] = location;
    v[index("size")] = version.length();
    v[index("modification_time")] = new Timestamp(version.modificationTime());
    v[index("etag")] = version.etag();
    v[index("catalog_version")] = VERSION;
    v[index("indexed_at")] = indexedAt;
    return v;
  }

  private static void bounds(Object[] v, WindowBounds b, double epoch) {
    if (b.positionKnown()) {
      v[index("lat_min")] = b.latMin();
      v[index("lat_max")] = b.latMax();
      v[index("lon_min")] = b.crossesAntimeridian() ? -180.0 : b.lonWest();
      v[index("lon_max")] = b.crossesAntimeridian() ? 180.0 : b.lonEast();
      v[index("lon_west")] = b.lonWest();
      v[index("lon_east")] = b.lonEast();
    }
    if (b.timeKnown()) {
      v[index("delta_time_min")] = b.deltaTimeMin();
      v[index("delta_time_max")] = b.deltaTimeMax();
      v[index("time_min")] = timestamp(AtlasSdpTime.toUnixMicros(b.deltaTimeMin(), epoch) - 1000);
      v[index("time_max")] = timestamp(AtlasSdpTime.toUnixMicros(b.deltaTimeMax(), epoch) + 1000);
    }
  }

  private static Timestamp timestamp(long micros) {
    Timestamp t = new Timestamp(Math.floorDiv(micros, 1000));
    t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
    return t;
  }

  private static Row beamRow(BeamEntry b) {
    return RowFactory.create(b.beam(), b.strength(), b.photons(), b.segments(), b.chunkRows());
  }

  private static Row datasetRow(String name, ChunkIndex index) {
    DatasetInfo info = index.dataset();
    List<ChunkDescriptor> chunks = index.chunks();
    byte[] encoded;
    try {
      encoded = ManifestChunks.encode(chunks, info.chunkShape()[0]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(info.describe() + ": " + e.getMessage(), e);
    }
    List<Row> filters = info.filters().stream()
        .map(f -> RowFactory.create(f.id(), f.name(), seq(Arrays.stream(f.clientData()).boxed().toList()))).toList();
    ElementType type = info.type();
    return RowFactory.create(name, type.dataClass().name(), type.size(), type.bigEndian(), type.signed(),
        seq(Arrays.stream(info.shape()).boxed().toList()), seq(Arrays.stream(info.chunkShape()).boxed().toList()),
        seq(filters), info.fillValueBytes(), chunks.size(), encoded);
  }

  /** An array value as Spark's rows hold it. */
  private static <T> scala.collection.Seq<T> seq(List<T> values) {
    return scala.collection.JavaConverters.asScalaBufferConverter(values).asScala().toSeq();
  }

  static int index(String column) {
    return SCHEMA.fieldIndex(column);
  }

  /** A window row as read back (any column order: fields are looked up by name; without datasets, no manifest). */
  public static IndexedWindow window(Row row) {
    return CatalogRows.window(new SparkTableRow(row));
  }
}
