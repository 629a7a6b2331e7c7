package org.atl03.datasource.atl03.catalog;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.atl03.datasource.delta.DeltaSnapshot;
import org.atl03.datasource.delta.ParquetDataFile;
import org.atl03.datasource.delta.TableRow;
import org.atl03.datasource.delta.UnsupportedTableException;
import org.atl03.datasource.io.ConcurrentReads;
import org.atl03.datasource.io.FileVersion;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.Storage;

/**
 * The catalog's window rows read on the planning machine, without Spark: its Delta log gives the data files and
 * their statistics, a file whose statistics rule the predicate out is not opened, a row group whose statistics do is
 * not read, and the rows read are checked exactly. Files are read concurrently (each a footer request, then a
 * request per row group read). The manifests, most of a row's bytes, are read in a second pass over the row groups
 * of the windows the caller keeps ({@link #withManifests}); every read is of the one table version read first.
 */
public final class CatalogFiles implements Closeable {

  /** Threads reading catalog files at once: enough to overlap an object store's round trips. */
  private static final int READERS = 16;
  /** Bytes of a data file's end read at once, footer included (catalog files hold 1 MB row groups). */
  private static final int TAIL_BYTES = 512 << 10;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(READERS, r -> {
    Thread t = new Thread(r, "atl03-catalog-read");
    t.setDaemon(true);
    return t;
  });

  /** A window row read, and where it lies (to read its manifest later). */
  public record Found(IndexedWindow window, int file, int rowGroup, int row) {}

  private final String catalog;
  private final Storage storage;
  private final DeltaSnapshot snapshot;
  private final Map<Integer, ParquetDataFile> opened = new LinkedHashMap<>();
  private long closed;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  private CatalogFiles(String catalog, Storage storage, DeltaSnapshot snapshot) {
    this.catalog = catalog;
    this.storage = storage;
    this.snapshot = snapshot;
    requests.addAndGet(snapshot.requests());
    bytes.addAndGet(snapshot.bytesRead());
  }

  /**
   * Reads the catalog's Delta log at {@code catalog}.
   *
   * @throws UnsupportedTableException when the table uses a Delta feature read here; Delta itself reads it
   */
  public static CatalogFiles open(Storage storage, String catalog) throws IOException {
    try {
      return new CatalogFiles(catalog, storage, DeltaSnapshot.read(storage, catalog));
    } catch (FileNotFoundException e) {
      if (storage.exists(storage.resolve(catalog, "_delta_log"))) {
        throw e; // a file of the log went missing while it was read
      }
      throw new IllegalArgumentException("catalog " + catalog + " is not a Delta table: it has no _delta_log (a "
          + "catalog is what ./atl03 index --in GRANULES --catalog " + catalog + " builds)", e);
    }
  }

  /** The bytes of the catalog's data files. */
  public long tableBytes() {
    return snapshot.bytes();
  }

  /** Data files opened so far. */
  public synchronized long filesRead() {
    return opened.size() + closed;
  }

  /** Requests made so far (the log's included) and the bytes they fetched. */
  public long requests() {
    return requests.get();
  }

  public long bytesRead() {
    return bytes.get();
  }

  /**
   * The window rows matching {@code filter} (which must select window rows only), in file order; with their
   * manifests (of the datasets {@code names} lists) when {@code manifests} is true, else without (see
   * {@link #withManifests}).
   */
  public List<Found> windows(CatalogFilter filter, boolean manifests, Set<String> names) throws IOException {
    List<String> columns = new ArrayList<>(CatalogRows.WINDOW_COLUMNS);
    filter.columns().stream().filter(c -> !columns.contains(c)).forEach(columns::add); // checked on every row
    if (manifests) {
      columns.add(CatalogRows.DATASETS);
    }
    List<ConcurrentReads.Read<List<Found>>> reads = new ArrayList<>();
    List<DeltaSnapshot.DataFile> files = snapshot.files();
    for (int i = 0; i < files.size(); i++) {
      DeltaSnapshot.DataFile f = files.get(i);
      if (f.stats() == null || filter.mayMatch(f.stats())) {
        int file = i;
        reads.add(() -> read(file, filter, columns, names));
      }
    }
    List<Found> found = new ArrayList<>();
    ConcurrentReads.all(reads, POOL, "reading the catalog " + catalog).forEach(found::addAll);
    return found;
  }

  private List<Found> read(int file, CatalogFilter filter, List<String> columns, Set<String> names)
      throws IOException {
    ParquetDataFile parquet = parquet(file);
    List<Found> found = new ArrayList<>();
    for (int g = 0; g < parquet.rowGroups(); g++) {
      if (!filter.mayMatch(parquet.statistics(g))) {
        continue;
      }
      List<TableRow> rows = read(parquet, g, columns);
      for (int r = 0; r < rows.size(); r++) {
        TableRow row = rows.get(r);
        if (filter.matches(row)) {
          CatalogRows.checkVersion(catalog, row.intValue("catalog_version"));
          found.add(new Found(CatalogRows.window(row, names), file, g, r));
        }
      }
    }
    if (found.isEmpty() || columns.contains(CatalogRows.DATASETS)) {
      close(file); // nothing more to read of it: a planner over many files keeps open only those it reads again
    }
    return found;
  }

  private void close(int file) throws IOException {
    ParquetDataFile parquet;
    synchronized (this) {
      parquet = opened.remove(file);
      closed++;
    }
    if (parquet != null) {
      parquet.close();
    }
  }

  /**
   * The windows of {@code found} (from {@link #windows} of this catalog) with their manifests of the datasets
   * {@code names} lists, in the same order.
   */
  public List<IndexedWindow> withManifests(List<Found> found, Set<String> names) throws IOException {
    Map<Integer, Map<Integer, List<Integer>>> byFile = new LinkedHashMap<>();
    for (int i = 0; i < found.size(); i++) {
      Found f = found.get(i);
      byFile.computeIfAbsent(f.file(), k -> new LinkedHashMap<>())
          .computeIfAbsent(f.rowGroup(), k -> new ArrayList<>()).add(i);
    }
    IndexedWindow[] out = new IndexedWindow[found.size()];
    List<ConcurrentReads.Read<Void>> reads = new ArrayList<>();
    for (Map.Entry<Integer, Map<Integer, List<Integer>>> e : byFile.entrySet()) {
      reads.add(() -> {
        ParquetDataFile parquet = parquet(e.getKey());
        for (Map.Entry<Integer, List<Integer>> group : e.getValue().entrySet()) {
          List<TableRow> rows = read(parquet, group.getKey(), List.of(CatalogRows.DATASETS));
          for (int i : group.getValue()) {
            IndexedWindow w = found.get(i).window();
            out[i] = w.withManifest(CatalogRows.manifest(w.location(), w.window().beam(), rows.get(found.get(i).row()),
                names));
          }
        }
        return null;
      });
    }
    ConcurrentReads.all(reads, POOL, "reading manifests of the catalog " + catalog);
    return List.of(out);
  }

  private List<TableRow> read(ParquetDataFile parquet, int rowGroup, List<String> columns) throws IOException {
    long before = parquet.requests();
    long fetched = parquet.bytesRead();
    List<TableRow> rows = parquet.read(rowGroup, columns);
    requests.addAndGet(parquet.requests() - before);
    bytes.addAndGet(parquet.bytesRead() - fetched);
    return rows;
  }

  /** A data file, opened once (its footer read) and checked for the columns read. */
  private ParquetDataFile parquet(int file) throws IOException {
    synchronized (this) {
      ParquetDataFile open = opened.get(file);
      if (open != null) {
        return open;
      }
    }
    DeltaSnapshot.DataFile f = snapshot.files().get(file);
    // on a remote store, opened as the log describes it (no status request); on disk a status costs nothing
    InputFile in = storage.isLocal(f.location()) ? storage.open(f.location())
        : storage.openVersion(f.location(), new FileVersion(f.size(), f.modificationTime(), null));
    ParquetDataFile parquet = ParquetDataFile.open(in, TAIL_BYTES);
    requests.addAndGet(parquet.requests());
    bytes.addAndGet(parquet.bytesRead());
    List<String> missing = new ArrayList<>(CatalogRows.WINDOW_COLUMNS);
    missing.add(CatalogRows.DATASETS);
    missing.removeAll(parquet.columns());
    if (!missing.isEmpty()) {
      parquet.close();
      CatalogRows.checkColumns(catalog, "its file " + f.location(), missing);
    }
    synchronized (this) {
      opened.put(file, parquet);
    }
    return parquet;
  }

  @Override
  public synchronized void close() throws IOException {
    IOException failure = null;
    for (ParquetDataFile p : opened.values()) {
      try {
        p.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    opened.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
