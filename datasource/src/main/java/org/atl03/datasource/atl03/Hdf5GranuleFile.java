package org.atl03.datasource.atl03;

import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.DatasetReader;
import org.atl03.datasource.hdf5.MultiDatasetReader;
import org.atl03.datasource.hdf5.StorageKind;
import org.atl03.datasource.hdf5.Hdf5File;
import org.atl03.datasource.io.ConcurrentReads;
import org.atl03.datasource.io.StoredFile;

/** A granule read from its HDF5 file: metadata through jhdf (block-cached), values by our chunk reader. */
public final class Hdf5GranuleFile implements GranuleFile {

  private final Hdf5File file;
  private final StoredFile stored;

  public Hdf5GranuleFile(Hdf5File file) {
    this(file, null);
  }

  /** A granule whose file the store described as {@code stored} when it was opened. */
  public Hdf5GranuleFile(Hdf5File file, StoredFile stored) {
    this.file = file;
    this.stored = stored;
  }

  @Override
  public String location() {
    return file.location();
  }

  @Override
  public String dataLocation() {
    return file.location();
  }

  @Override
  public StoredFile dataFile() {
    return stored;
  }

  @Override
  public Boolean paged() {
    return file.paged();
  }

  @Override
  public boolean hasDataset(String path) {
    return file.hasDataset(path);
  }

  @Override
  public DatasetInfo dataset(String path) {
    return file.dataset(path);
  }

  @Override
  public ChunkIndex chunkIndex(String path) {
    return file.chunkIndex(path);
  }

  @Override
  public Object attribute(String objectPath, String name) {
    Node node = file.node(objectPath);
    return node == null ? null : file.guard(objectPath + " attribute " + name, () -> {
      Attribute attribute = node.getAttribute(name);
      return attribute == null ? null : attribute.getData();
    });
  }

  @Override
  public double[] readAsDoubles(String path) throws IOException {
    try (DatasetReader reader = file.reader(path)) {
      return reader.readAsDoubles(0, reader.rows());
    }
  }

  @Override
  public List<double[]> readRowsAsDoubles(List<String> paths, long start, long end) throws IOException {
    List<ChunkIndex> indexes = new ArrayList<>();
    for (String path : paths) {
      if (file.dataset(path).storage() != StorageKind.CHUNKED) { // contiguous or compact: one read each
        List<double[]> values = new ArrayList<>();
        for (String p : paths) {
          try (DatasetReader reader = file.reader(p)) {
            values.add(reader.readAsDoubles(start, end));
          }
        }
        return values;
      }
      indexes.add(file.chunkIndex(path));
    }
    try (MultiDatasetReader reader = new MultiDatasetReader(file.data(), file.options(), indexes)) {
      return reader.readAsDoubles(start, end);
    }
  }

  /**
   * Parses the datasets' metadata in turn, then reads their values at once: small values stored apart from the
   * metadata (as h5repack's paged layout stores each in its own page) cost one round trip together, not one each.
   */
  @Override
  public List<double[]> readAllAsDoubles(List<String> paths) throws IOException {
    List<DatasetReader> readers = new ArrayList<>();
    try {
      for (String path : paths) {
        readers.add(file.reader(path));
      }
      List<ConcurrentReads.Read<double[]>> reads = new ArrayList<>();
      for (DatasetReader reader : readers) {
        reads.add(() -> reader.readAsDoubles(0, reader.rows()));
      }
      return ConcurrentReads.all(reads, file.options().ioExecutor(), "reading " + paths + " of " + location());
    } finally {
      for (DatasetReader reader : readers) {
        reader.close();
      }
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
