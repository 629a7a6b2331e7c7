package org.atl03.datasource.atl03;

import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.io.IOException;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.hdf5.DatasetReader;
import org.atl03.datasource.hdf5.Hdf5File;

/** A granule read from its HDF5 file: metadata through jhdf (block-cached), values by our chunk reader. */
public final class Hdf5GranuleFile implements GranuleFile {

  private final Hdf5File file;

  public Hdf5GranuleFile(Hdf5File file) {
    this.file = file;
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
  public void close() throws IOException {
    file.close();
  }
}
