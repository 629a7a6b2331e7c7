package org.atl03.datasource.atl03;

import java.io.Closeable;
import java.io.IOException;
import org.atl03.datasource.hdf5.ChunkIndex;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.io.StoredFile;

/**
 * What the ATL03 layer reads of a granule, whatever describes it: the HDF5 file itself, or references to its
 * chunks (kerchunk). Paths are HDF5 paths without the leading slash, e.g. {@code gt1l/heights/h_ph}.
 */
public interface GranuleFile extends Closeable {

  /** What the user named: the granule or its references, for messages. */
  String location();

  /** The file that holds the chunk bytes, which tasks read. */
  String dataLocation();

  /**
   * What the store told of the data file when it was opened (size, and for S3 its ETag), or null when it was not
   * opened: handed to tasks, whose reads then need no request to learn it again (a HEAD per task on S3 and HTTP).
   */
  default StoredFile dataFile() {
    return null;
  }

  /** Whether the data file was written with paged aggregation, null when not known (e.g. via references). */
  default Boolean paged() {
    return null;
  }

  boolean hasDataset(String path);

  DatasetInfo dataset(String path);

  /** The stored chunks of a chunked dataset. */
  ChunkIndex chunkIndex(String path);

  /** An attribute of a group or dataset (a String, a Number, or an array of them), or null when absent. */
  Object attribute(String objectPath, String name);

  /** Every value of a (small) numeric dataset, widened to double. */
  double[] readAsDoubles(String path) throws IOException;

  /**
   * Rows {@code [start, end)} of several one-dimensional numeric datasets with the same rows, widened to double, in
   * order: read together, so that neighbouring chunks of different datasets share requests.
   */
  java.util.List<double[]> readRowsAsDoubles(java.util.List<String> paths, long start, long end) throws IOException;

  /** Every value of several small numeric datasets, in order; an implementation may read them concurrently. */
  default java.util.List<double[]> readAllAsDoubles(java.util.List<String> paths) throws IOException {
    java.util.List<double[]> values = new java.util.ArrayList<>();
    for (String path : paths) {
      values.add(readAsDoubles(path));
    }
    return values;
  }
}
