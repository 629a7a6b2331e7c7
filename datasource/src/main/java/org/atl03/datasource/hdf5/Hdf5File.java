package org.atl03.datasource.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.exceptions.HdfException;
import java.io.Closeable;
import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.atl03.datasource.hdf5.HdfChannel;
import org.atl03.datasource.io.BlockCachingInputFile;
import org.atl03.datasource.io.InputFile;

/**
 * An open HDF5 file. jhdf parses the metadata through a block-cached, never memory-mapped {@link HdfChannel};
 * dataset values are read by {@link DatasetReader}s straight from the {@link InputFile}, chunk by chunk.
 *
 * <p>Thread-safe: dataset descriptions and chunk indexes are built once and shared; readers are per thread.
 * Closing closes the input file.
 */
public final class Hdf5File implements Closeable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Hdf5File.class);

  private final InputFile data;
  private final BlockCachingInputFile metadata;
  private final ReadOptions options;
  private final HdfFile hdf;
  private final HdfChannel channel;
  private final ConcurrentMap<String, DatasetInfo> infos = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ChunkIndex> indexes = new ConcurrentHashMap<>();
  private volatile FileSpaceInfo fileSpace; // null when not read (not HDF5, or an older superblock without one)

  private Hdf5File(InputFile data, BlockCachingInputFile metadata, ReadOptions options, HdfChannel channel) {
    this.data = data;
    this.channel = channel;
    this.metadata = metadata;
    this.options = options;
    this.hdf = openBounded(channel, data.location(), data.length());
  }

  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final java.lang.reflect.Constructor<HdfFile> FROM_STORAGE;

  static {
    try {
      FROM_STORAGE = HdfFile.class.getDeclaredConstructor(io.jhdf.storage.HdfBackingStorage.class);
      FROM_STORAGE.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError("jhdf without HdfFile(HdfBackingStorage): " + e);
    }
  }

  /**
   * What {@code new HdfFile(FileChannel)} does (find the superblock at 0, 512, 1024 …), but over
   * {@link BoundedStorage}, so that no metadata read allocates more than the file holds. jhdf 0.13 only builds
   * files on its own storage through a private constructor, hence reflection.
   */
  private static HdfFile openBounded(HdfChannel channel, String location, long length) {
    long offset = superblockOffset(channel, length);
    if (offset < 0) {
      throw new HdfException("no HDF5 signature at offset 0, 512, 1024 … (" + length + " bytes)");
    }
    io.jhdf.Superblock superblock = io.jhdf.Superblock.readSuperblock(channel, offset);
    if (superblock.getBaseAddressByte() != offset) {
      throw new HdfException("superblock at " + offset + " states base address " + superblock.getBaseAddressByte());
    }
    try {
      return FROM_STORAGE.newInstance(new BoundedStorage(channel, superblock, location, length));
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new HdfException("cannot open: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("jhdf's HdfFile(HdfBackingStorage) is not accessible", e);
    }
  }

  /** Where the superblock starts (0, 512, 1024 …), or -1 when no signature is found. */
  private static long superblockOffset(HdfChannel channel, long length) {
    long offset = 0;
    while (offset + SIGNATURE.length <= length && !signatureAt(channel, offset)) {
      offset = offset == 0 ? 512 : offset * 2;
    }
    return offset + SIGNATURE.length > length ? -1 : offset;
  }

  private static boolean signatureAt(HdfChannel channel, long offset) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(SIGNATURE.length);
    try {
      channel.read(b, offset);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return java.util.Arrays.equals(b.array(), SIGNATURE);
  }

  public static Hdf5File open(InputFile file) throws IOException {
    return open(file, ReadOptions.DEFAULT);
  }

  /** Opens {@code file}; to count its reads, pass a file wrapped by {@code ReadMetrics.meter}. */
  public static Hdf5File open(InputFile file, ReadOptions options) throws IOException {
    try {
      FileSpaceInfo[] fileSpace = new FileSpaceInfo[1];
      BlockCachingInputFile metadata = metadataCache(file, options, fileSpace);
      Hdf5File h5 = new Hdf5File(file, metadata, options, new HdfChannel(metadata));
      h5.fileSpace = fileSpace[0];
      return h5;
    } catch (RuntimeException | StackOverflowError e) {
      // jhdf fails on corrupt metadata with anything from HdfException to NegativeArraySizeException, and on
      // cyclic structures by recursing without end: all of them mean this file cannot be read
      IOException failure = new IOException(file.location() + ": not a readable HDF5 file: " + describe(e), e);
      try {
        file.close();
      } catch (IOException suppressed) {
        failure.addSuppressed(suppressed);
      }
      throw failure;
    }
  }

  /**
   * The cache jhdf reads metadata through: the configured blocks, or whole pages when the file was written with
   * paged aggregation (see {@link MetadataCachePlan}). The superblock is probed through the configured blocks, so
   * an unpaged file reads nothing extra and a paged one one block more than its pages.
   */
  private static BlockCachingInputFile metadataCache(InputFile file, ReadOptions options, FileSpaceInfo[] read) {
    BlockCachingInputFile probe =
        new BlockCachingInputFile(file, options.metadataBlockSize(), options.metadataCacheBlocks());
    long superblock = superblockOffset(new HdfChannel(probe), file.length());
    if (superblock < 0) {
      return probe; // not HDF5: opening reports it
    }
    FileSpaceInfo info;
    try {
      info = FileSpaceInfo.read(probe, superblock);
    } catch (IOException e) {
      // paging only speeds reads up; jhdf decides whether the file is readable at all
      LOG.warn("no file space info, so metadata read in {}-byte blocks: {}", options.metadataBlockSize(),
          e.getMessage()); // the message names the file and the structure
      return probe;
    }
    read[0] = info;
    MetadataCachePlan plan = MetadataCachePlan.of(info, options);
    LOG.debug("{}: {}: {} blocks of {} bytes", file.location(), plan.reason(), plan.maxBlocks(), plan.blockSize());
    if (!plan.pageBlocks()) {
      return probe;
    }
    // dropping the probe's cache, not the file: closing the probe would close the file beneath both
    return new BlockCachingInputFile(file, plan.blockSize(), plan.maxBlocks());
  }

  /** Whether the file was written with paged aggregation (h5repack -S PAGE), null when the file does not say. */
  public Boolean paged() {
    return fileSpace == null ? null : fileSpace.paged();
  }

  /** The file's bytes, as opened (not the metadata cache). */
  public InputFile data() {
    return data;
  }

  public String location() {
    return data.location();
  }

  /** Bytes per metadata read: the configured block size, or the page size of a paged file. */
  public int metadataBlockSize() {
    return metadata.blockSize();
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

  /**
   * A contiguous dataset's reader. HDF5 often stores small values (orbit numbers, epochs) beside the metadata that
   * describes them: when the metadata cache already holds them, they are read from there at no request.
   */
  private DatasetReader contiguousReader(DatasetInfo info, io.jhdf.api.dataset.ContiguousDataset ds) {
    long address = ds.getDataAddress();
    long bytes = ds.getStorageInBytes();
    boolean cached = address != io.jhdf.Constants.UNDEFINED_ADDRESS && bytes > 0 && bytes < metadata.blockSize()
        && metadata.holds(address + userBlockSize(), (int) bytes);
    return DatasetReader.contiguous(info, ds, userBlockSize(), cached ? metadata : data, options);
  }

  /** Whether {@code path} names a dataset. */
  public boolean hasDataset(String path) {
    return resolve(path) instanceof Dataset;
  }

  /** Describes the dataset at {@code path}. */
  public DatasetInfo dataset(String path) {
    return infos.computeIfAbsent(path, p -> guard(p, () -> DatasetInfo.of(location(), jhdfDataset(p))));
  }

  /** The chunk index of a chunked dataset. */
  public ChunkIndex chunkIndex(String path) {
    return indexes.computeIfAbsent(path, p -> {
      Dataset ds = jhdfDataset(p);
      DatasetInfo info = dataset(p);
      if (!(ds instanceof ChunkedDatasetBase chunked)) {
        throw new IllegalArgumentException(info.describe() + " is " + info.storage() + ", not chunked");
      }
      prefetchChunkTree(p, chunked, info);
      return guard(p, () -> {
        try {
          return ChunkIndex.read(info, chunked, userBlockSize(), metadata,
              hdf.getHdfBackingStorage().getSizeOfLengths());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    });
  }

  /** Loads the dataset's chunk B-tree a level at a time; only speeds jhdf up, so any failure is left to jhdf. */
  private void prefetchChunkTree(String path, ChunkedDatasetBase dataset, DatasetInfo info) {
    try {
      BTreePrefetch.load(dataset.getHeader(), info.shape().length, userBlockSize(),
          hdf.getHdfBackingStorage().getSizeOfOffsets(), metadata, options.ioExecutor());
    } catch (IOException | RuntimeException e) {
      LOG.debug("{}: {}: chunk tree not prefetched: {}", location(), path, e.toString());
    }
  }

  /** A new reader of the dataset at {@code path}; use it from one thread at a time and close it. */
  public DatasetReader reader(String path) {
    DatasetInfo info = dataset(path);
    return guard(path, () -> switch (info.storage()) {
      case CHUNKED -> DatasetReader.chunked(info, chunkIndex(path), data, options);
      case CONTIGUOUS -> contiguousReader(info, (io.jhdf.api.dataset.ContiguousDataset) jhdfDataset(path));
      case COMPACT -> DatasetReader.compact(info, jhdfDataset(path));
      case VIRTUAL -> throw new UnsupportedOperationException(info.describe() + ": virtual datasets are not supported");
    });
  }

  /**
   * Runs a step that parses metadata of {@code object} through jhdf. Corrupt metadata makes jhdf throw anything
   * (HdfException, BufferUnderflowException, NegativeArraySizeException, ArithmeticException …) with messages that
   * name neither the file nor the object, or recurse without end on a cycle: each becomes an error naming both.
   * Our own errors, which already name the file, pass unchanged.
   */
  public <T> T guard(String object, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().contains(location()) && !(e instanceof HdfException)
          && isOurs(e)) {
        throw e;
      }
      if (org.atl03.datasource.io.StorageFailures.isStorageFailure(e)) {
        throw new java.io.UncheckedIOException(new java.io.IOException(location() + ": object " + object
            + ": reading from storage failed: " + describe(e), e));
      }
      throw new IllegalStateException(location() + ": object " + object + ": corrupt or unsupported HDF5 metadata: "
          + describe(e), e);
    } catch (StackOverflowError e) {
      throw new IllegalStateException(location() + ": object " + object
          + ": HDF5 metadata nested without end (a cycle in a corrupt file)", e);
    }
  }

  /** Exception types our code throws on purpose; any other type escaping jhdf is a parsing failure. */
  private static boolean isOurs(RuntimeException e) {
    return e instanceof IllegalArgumentException || e instanceof IllegalStateException
        || e instanceof UnsupportedOperationException || e instanceof NoSuchElementException
        || e instanceof java.io.UncheckedIOException;
  }

  /** The failure in words: its message and, when jhdf wrapped it, the root cause's (often the telling one). */
  static String describe(Throwable e) {
    String text = e instanceof HdfException && e.getMessage() != null ? e.getMessage()
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 32; depth++) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) {
      text += " (" + (root instanceof HdfException ? "" : root.getClass().getSimpleName() + ": ")
          + root.getMessage() + ")";
    }
    return text;
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

  /**
   * Paths of every dataset in the file, depth first in name order. Groups nested deeper than
   * {@value #MAX_DEPTH} levels are refused: only a corrupt file (a group linking to its ancestor) has them.
   */
  public java.util.List<String> datasetPaths() {
    java.util.List<String> out = new java.util.ArrayList<>();
    collect(hdf, "", 0, out);
    return out;
  }

  private static final int MAX_DEPTH = 32;

  private void collect(Group group, String prefix, int depth, java.util.List<String> out) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException(location() + ": group " + prefix + " is nested deeper than " + MAX_DEPTH
          + " levels: a cycle in a corrupt file");
    }
    java.util.Map<String, Node> children = guard(prefix.isEmpty() ? "/" : prefix,
        () -> new java.util.TreeMap<>(group.getChildren()));
    for (java.util.Map.Entry<String, Node> e : children.entrySet()) {
      String path = prefix + "/" + e.getKey();
      Node node = guard(path, () -> e.getValue() instanceof Link link ? link.getTarget() : e.getValue());
      if (node instanceof Group g) {
        collect(g, path, depth + 1, out);
      } else if (node instanceof Dataset) {
        out.add(path);
      }
    }
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
      Group parent = group;
      node = guard(path, () -> {
        Node child = parent.getChild(name);
        return child instanceof Link link ? link.getTarget() : child;
      });
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
