package org.atl03.datasource.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.exceptions.HdfException;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import java.io.Closeable;
import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.atl03.datasource.io.BlockCachingInputFile;
import org.atl03.datasource.io.HdfChannel;
import org.atl03.datasource.io.InputFile;

/**
 * An open HDF5 file. jhdf parses the metadata through a block-cached, never memory-mapped {@link HdfChannel};
 * dataset values are read by {@link DatasetReader}s straight from the {@link InputFile}, chunk by chunk.
 *
 * <p>Thread-safe: dataset descriptions and chunk indexes are built once and shared; readers are per thread.
 * Closing closes the input file.
 */
public final class Hdf5File implements Closeable {

  private final InputFile data;
  private final BlockCachingInputFile metadata;
  private final ReadOptions options;
  private final HdfFile hdf;
  private final HdfChannel channel;
  private final ConcurrentMap<String, DatasetInfo> infos = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ChunkIndex> indexes = new ConcurrentHashMap<>();

  private Hdf5File(InputFile data, BlockCachingInputFile metadata, ReadOptions options, HdfChannel channel) {
    this.data = data;
    this.channel = channel;
    this.metadata = metadata;
    this.options = options;
    this.hdf = new HdfFile(channel);
  }

  public static Hdf5File open(InputFile file) throws IOException {
    return open(file, ReadOptions.DEFAULT);
  }

  /** Opens {@code file}; to count its reads, pass a file wrapped by {@code ReadMetrics.meter}. */
  public static Hdf5File open(InputFile file, ReadOptions options) throws IOException {
    BlockCachingInputFile metadata =
        new BlockCachingInputFile(file, options.metadataBlockSize(), options.metadataCacheBlocks());
    try {
      return new Hdf5File(file, metadata, options, new HdfChannel(metadata));
    } catch (HdfException e) {
      IOException failure = new IOException(file.location() + ": not a readable HDF5 file: " + e.getMessage(), e);
      try {
        file.close();
      } catch (IOException suppressed) {
        failure.addSuppressed(suppressed);
      }
      throw failure;
    }
  }

  public String location() {
    return data.location();
  }

  /** jhdf's view of the file: groups, attributes, strings. Do not read large datasets through it. */
  public HdfFile hdf() {
    return hdf;
  }

  public ReadOptions options() {
    return options;
  }

  public long userBlockSize() {
    return hdf.getUserBlockSize();
  }

  /** Whether {@code path} names a dataset. */
  public boolean hasDataset(String path) {
    return resolve(path) instanceof Dataset;
  }

  /** Describes the dataset at {@code path}. */
  public DatasetInfo dataset(String path) {
    return infos.computeIfAbsent(path, p -> DatasetInfo.of(location(), jhdfDataset(p)));
  }

  /** The chunk index of a chunked dataset. */
  public ChunkIndex chunkIndex(String path) {
    return indexes.computeIfAbsent(path, p -> {
      Dataset ds = jhdfDataset(p);
      DatasetInfo info = dataset(p);
      if (!(ds instanceof ChunkedDatasetBase chunked)) {
        throw new IllegalArgumentException(info.describe() + " is " + info.storage() + ", not chunked");
      }
      try {
        return ChunkIndex.read(info, chunked, userBlockSize(), metadata,
            hdf.getHdfBackingStorage().getSizeOfLengths());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** A new reader of the dataset at {@code path}; use it from one thread at a time and close it. */
  public DatasetReader reader(String path) {
    DatasetInfo info = dataset(path);
    return switch (info.storage()) {
      case CHUNKED -> DatasetReader.chunked(info, chunkIndex(path), data, options);
      case CONTIGUOUS -> DatasetReader.contiguous(info, (io.jhdf.api.dataset.ContiguousDataset) jhdfDataset(path),
          userBlockSize(), data, options);
      case COMPACT -> DatasetReader.compact(info, jhdfDataset(path));
      case VIRTUAL -> throw new UnsupportedOperationException(info.describe() + ": virtual datasets are not supported");
    };
  }

  Dataset jhdfDataset(String path) {
    Node node = resolve(path);
    if (node == null) {
      throw new NoSuchElementException(location() + ": dataset " + path + " not found");
    }
    if (!(node instanceof Dataset ds)) {
      throw new IllegalArgumentException(location() + ": " + path + " is a " + node.getType() + ", not a dataset");
    }
    return ds;
  }

  /** The group, dataset or link target at {@code path}, or null when the file has none: for groups and attributes. */
  public Node node(String path) {
    return resolve(path);
  }

  /**
   * Walks the path group by group. jhdf's own getByPath cannot report a missing object for a file opened from a
   * channel (building its message needs a backing Path), so a missing object is null here.
   */
  private Node resolve(String path) {
    Node node = hdf;
    for (String name : path.split("/")) {
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (!(node instanceof Group group)) {
        return null;
      }
      try {
        node = group.getChild(name);
        if (node instanceof Link link) {
          node = link.getTarget();
        }
      } catch (HdfException e) {
        throw new IllegalStateException(location() + ": cannot read object " + path + ": " + e.getMessage(), e);
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /**
   * Closes the channel and the input file. jhdf's own close() is not called: it would only close the channel, and
   * for a file opened from a channel it throws while logging the (absent) file path.
   */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      metadata.close();
    }
  }

  @Override
  public String toString() {
    return "Hdf5File[" + location() + "]";
  }
}
