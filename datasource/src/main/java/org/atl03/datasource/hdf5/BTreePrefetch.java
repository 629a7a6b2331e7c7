package org.atl03.datasource.hdf5;

import io.jhdf.Constants;
import io.jhdf.ObjectHeader;
import io.jhdf.object.message.DataLayoutMessage.ChunkedDataLayoutMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.atl03.datasource.io.BlockCachingInputFile;

/**
 * Loads a version-1 chunk B-tree (the index of HDF5 1.8-layout chunked datasets, as in ATL03 v006) into the
 * metadata cache one level at a time, every node of a level at once. jhdf walks the tree depth first, one node
 * per read, so a beam's tree of tens of leaves scattered among the data cost tens of round trips; loaded level by
 * level it costs one per level. Only the cache is filled: jhdf still parses and checks every node, so a corrupt
 * tree is reported as before, and this stops quietly at anything it does not recognise.
 */
final class BTreePrefetch {

  /** Levels followed at most; a real tree of billions of chunks is a handful deep. */
  static final int MAX_LEVELS = 16;
  /** Bytes loaded per child node before its header is read: a node of 2K = 64 entries (HDF5's default K). */
  private static final int ENTRIES_ASSUMED = 64;

  private BTreePrefetch() {}

  /** Fills {@code metadata}'s cache with the dataset's chunk B-tree when it has one (layout version 3). */
  static void load(ObjectHeader header, int rank, long userBlockSize, int sizeOfOffsets,
      BlockCachingInputFile metadata, Executor executor) throws IOException {
    if (!header.hasMessageOfType(ChunkedDataLayoutMessage.class)) {
      return; // contiguous, compact, or a version-4 index (fixed/extensible array, B-tree v2)
    }
    long root = header.getMessageOfType(ChunkedDataLayoutMessage.class).getBTreeAddress();
    if (root == Constants.UNDEFINED_ADDRESS) {
      return; // no chunk written
    }
    Node.Shape shape = new Node.Shape(4 + 4 + 8 * (rank + 1), sizeOfOffsets);
    List<Long> level = List.of(root + userBlockSize);
    Set<Long> seen = new HashSet<>(level);
    for (int depth = 0; depth < MAX_LEVELS && !level.isEmpty(); depth++) {
      List<long[]> ranges = new ArrayList<>();
      for (long node : level) {
        ranges.add(new long[] {node, depth == 0 ? shape.header() : shape.bytes(ENTRIES_ASSUMED)});
      }
      metadata.prefetch(ranges, executor);
      List<Long> next = new ArrayList<>();
      for (long address : level) {
        Node node = Node.read(metadata, address, shape);
        if (node == null || node.level() == 0) {
          return; // not a chunk tree node, or the leaves are loaded: jhdf reads on from the cache
        }
        for (long child : node.children()) {
          long at = child + userBlockSize;
          if (seen.add(at)) {
            next.add(at);
          }
        }
      }
      level = next;
    }
  }

  /** A "TREE" node of type 1 (raw data chunks): its level and child addresses. */
  record Node(int level, long[] children) {

    record Shape(int keyBytes, int sizeOfOffsets) {
      int header() {
        return 8 + 2 * sizeOfOffsets;
      }

      long bytes(int entries) {
        return header() + (long) (entries + 1) * keyBytes + (long) entries * sizeOfOffsets;
      }
    }

    /** The node at {@code address}, or null when no chunk tree node starts there. */
    static Node read(BlockCachingInputFile file, long address, Shape shape) throws IOException {
      if (address < 0 || address + shape.header() > file.length()) {
        return null;
      }
      byte[] h = file.readFully(address, shape.header());
      if (h[0] != 'T' || h[1] != 'R' || h[2] != 'E' || h[3] != 'E' || h[4] != 1) {
        return null;
      }
      int level = h[5] & 0xFF;
      int entries = (h[6] & 0xFF) | (h[7] & 0xFF) << 8;
      long bytes = shape.bytes(entries);
      if (level == 0 || address + bytes > file.length()) {
        return new Node(0, new long[0]);
      }
      byte[] b = file.readFully(address, (int) bytes);
      long[] children = new long[entries];
      for (int i = 0; i < entries; i++) {
        int at = shape.header() + (i + 1) * shape.keyBytes() + i * shape.sizeOfOffsets();
        long value = 0;
        for (int k = shape.sizeOfOffsets() - 1; k >= 0; k--) {
          value = (value << 8) | (b[at + k] & 0xFF);
        }
        children[i] = value;
      }
      return new Node(level, children);
    }
  }
}
