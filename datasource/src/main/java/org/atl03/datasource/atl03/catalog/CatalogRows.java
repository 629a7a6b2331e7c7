package org.atl03.datasource.atl03.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atl03.datasource.atl03.PhotonRange;
import org.atl03.datasource.delta.TableRow;
import org.atl03.datasource.hdf5.ChunkDescriptor;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.ElementType;
import org.atl03.datasource.hdf5.FilterSpec;
import org.atl03.datasource.io.FileVersion;

/** The catalog's window rows read back, whoever read them (Spark, or {@link CatalogFiles} on the driver). */
public final class CatalogRows {

  /**
   * The layout this build writes and reads; a catalog of a newer layout is refused, one of an older layout fails
   * on its columns (1: chunk lists as four arrays; 2: as {@link ManifestChunks}).
   */
  public static final int VERSION = 2;

  /** The columns a window row is read from, its manifests ({@link #DATASETS}) aside. */
  public static final List<String> WINDOW_COLUMNS = List.of("kind", "path", "beam", "size", "modification_time",
      "etag", "lat_min", "lat_max", "lon_west", "lon_east", "delta_time_min", "delta_time_max", "beam_strength",
      "photon_start", "photon_end", "segment_start", "segment_end", "segment_photon_start", "chunk_rows", "granule",
      "rgt", "cycle", "sdp_gps_epoch", "beam_photons", "catalog_version");
  public static final String DATASETS = "datasets";

  private CatalogRows() {}

  /** A window row (fields looked up by name; without {@link #DATASETS}, no manifest). */
  public static IndexedWindow window(TableRow row) {
    return window(row, null);
  }

  /** As {@link #window(TableRow)}, the manifest of the datasets {@code names} lists only (null: all). */
  public static IndexedWindow window(TableRow row, Set<String> names) {
    String location = row.string("path");
    String beam = row.string("beam");
    FileVersion version = new FileVersion(row.longValue("size"), row.timestampMillis("modification_time"),
        row.isNull("etag") ? null : row.string("etag"));
    WindowBounds bounds = new WindowBounds(orNaN(row, "lat_min"), orNaN(row, "lat_max"), orNaN(row, "lon_west"),
        orNaN(row, "lon_east"), orNaN(row, "delta_time_min"), orNaN(row, "delta_time_max"));
    Map<String, ChunkIndex> manifest = row.has(DATASETS) ? manifest(location, beam, row, names) : Map.of();
    CatalogWindow window = new CatalogWindow(beam, row.string("beam_strength"),
        new PhotonRange(row.longValue("photon_start"), row.longValue("photon_end")),
        row.intValue("segment_start"), row.intValue("segment_end"), row.longValue("segment_photon_start"),
        row.longValue("chunk_rows"), bounds, manifest);
    return new IndexedWindow(location, version, row.string("granule"), orNull(row, "rgt"), orNull(row, "cycle"),
        row.doubleValue("sdp_gps_epoch"), row.longValue("beam_photons"), window);
  }

  /**
   * A window's manifest from its row's {@link #DATASETS}, by dataset path within the beam (none when null): of the
   * datasets {@code names} lists, or all when it is null.
   */
  public static Map<String, ChunkIndex> manifest(String location, String beam, TableRow row, Set<String> names) {
    Map<String, ChunkIndex> manifest = new LinkedHashMap<>();
    if (!row.isNull(DATASETS)) {
      for (TableRow d : row.rows(DATASETS)) {
        String name = d.string("name");
        if (names == null || names.contains(name)) {
          manifest.put(name, chunkIndex(location, "/" + beam + "/" + name, d));
        }
      }
    }
    return manifest;
  }

  /** Refuses a row written by a newer layout than this build reads. */
  public static void checkVersion(String catalog, int version) {
    if (version > VERSION) {
      throw new IllegalArgumentException("catalog " + catalog + " was written by a newer atl03-spark (layout "
          + version + "; this build reads up to " + VERSION + "): upgrade, or index again into a new directory");
    }
  }

  /** Fails naming the columns a catalog's table (or {@code where} in it) lacks, if any. */
  public static void checkColumns(String catalog, String where, List<String> missing) {
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("catalog " + catalog + " is not an ATL03 catalog of version " + VERSION
          + ": " + where + " lacks " + String.join(", ", missing));
    }
  }

  private static double orNaN(TableRow row, String field) {
    return row.isNull(field) ? Double.NaN : row.doubleValue(field);
  }

  private static Integer orNull(TableRow row, String field) {
    return row.isNull(field) ? null : row.intValue(field);
  }

  private static ChunkIndex chunkIndex(String location, String path, TableRow d) {
    ElementType type = new ElementType(ElementType.DataClass.valueOf(d.string("type_class")),
        d.intValue("type_size"), d.booleanValue("big_endian"), d.booleanValue("signed"));
    long[] shape = d.values("shape").stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    int[] chunkShape = d.values("chunk_shape").stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    List<FilterSpec> filters = new ArrayList<>();
    for (TableRow f : d.rows("filters")) {
      filters.add(new FilterSpec(f.intValue("id"), f.string("name"),
          f.values("client_data").stream().mapToInt(v -> ((Number) v).intValue()).toArray()));
    }
    DatasetInfo info = DatasetInfo.chunked(location, path, type, shape, chunkShape, filters, d.bytes("fill_value"));
    List<ChunkDescriptor> chunks = ManifestChunks.decode(d.bytes("chunks"), shape[0], chunkShape[0], shape.length,
        "catalog manifest of " + location + " " + path);
    return ChunkIndex.of(info, chunks);
  }
}
