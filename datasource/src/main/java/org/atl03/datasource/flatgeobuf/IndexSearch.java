package org.atl03.datasource.flatgeobuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.RangeCoalescer;

/**
 * Searches a packed R-tree for the features whose boxes intersect a box, level by level from the root, reading
 * only the nodes whose parents matched (neighbouring node runs closer than {@code maxGapBytes} are read in one
 * request), and only below the leaves {@code [fromItem, toItem)} so that partitions of one file search disjoint
 * parts of the tree.
 */
public final class IndexSearch {

  /** Leaf nodes read per request at most, so a search that matches everything reads in bounded pieces. */
  static final int MAX_NODES_PER_READ = 64 * 1024;

  private IndexSearch() {}

  /**
   * The hits: feature index, byte offset from the first feature, and the offset where the feature ends (the next
   * leaf's offset, the features' end for the last leaf, or -1 when leaves are not in file order), sorted by
   * feature index.
   */
  public record Hits(long[] items, long[] offsets, long[] ends, int size) {}

  public static Hits search(InputFile file, FgbHeader header, double minX, double minY, double maxX, double maxY,
      long fromItem, long toItem, long featuresEnd, int maxGapBytes) throws IOException {
    PackedRTreeLayout layout = PackedRTreeLayout.of(header.featuresCount(), header.indexNodeSize());
    int ns = layout.nodeSize();
    int top = layout.levels() - 1;
    // node runs to read at the current level: [start, end) node indexes, sorted, disjoint
    List<long[]> runs = new ArrayList<>();
    runs.add(new long[] {layout.levelStart(top), layout.levelEnd(top)});
    for (int level = top; level >= 1; level--) {
      long span = pow(ns, level); // leaves under one node of this level
      long levelStart = layout.levelStart(level);
      List<long[]> next = new ArrayList<>();
      for (long[] read : coalesce(runs, maxGapBytes)) {
        ByteBuffer nodes = readNodes(file, header, read[0], read[1]);
        for (long node = read[0]; node < read[1]; node++) {
          int at = (int) (node - read[0]) * FgbHeader.NODE_BYTES;
          long firstLeaf = (node - levelStart) * span;
          if (firstLeaf >= toItem || firstLeaf + span <= fromItem || !intersects(nodes, at, minX, minY, maxX, maxY)) {
            continue;
          }
          long child = nodes.getLong(at + 32);
          long childEnd = Math.min(child + ns, layout.levelEnd(level - 1));
          if (child < layout.levelStart(level - 1) || child >= childEnd) {
            throw new IOException(file.location() + ": corrupt index: node " + node + " points at node " + child);
          }
          long[] last = next.isEmpty() ? null : next.get(next.size() - 1);
          if (last != null && last[1] == child) {
            last[1] = childEnd;
          } else {
            next.add(new long[] {child, childEnd});
          }
        }
      }
      runs = next;
    }
    // leaves: keep those in [fromItem, toItem) whose box intersects; read one leaf more to know where a hit ends
    long leaf0 = layout.levelStart(0);
    long leafEnd = layout.levelEnd(0);
    long[] items = new long[16];
    long[] offsets = new long[16];
    long[] ends = new long[16];
    int n = 0;
    for (long[] run : coalesce(runs, maxGapBytes)) {
      long start = Math.max(run[0], leaf0 + fromItem);
      long stop = Math.min(run[1], leaf0 + toItem);
      for (long s = start; s < stop; s += MAX_NODES_PER_READ) {
        long e = Math.min(stop, s + MAX_NODES_PER_READ);
        long readEnd = Math.min(leafEnd, e + 1);
        ByteBuffer nodes = readNodes(file, header, s, readEnd);
        for (long node = s; node < e; node++) {
          int at = (int) (node - s) * FgbHeader.NODE_BYTES;
          if (!intersects(nodes, at, minX, minY, maxX, maxY)) {
            continue;
          }
          if (n == items.length) {
            items = Arrays.copyOf(items, n * 2);
            offsets = Arrays.copyOf(offsets, n * 2);
            ends = Arrays.copyOf(ends, n * 2);
          }
          long offset = nodes.getLong(at + 32);
          if (offset < 0 || offset >= featuresEnd) {
            throw new IOException(file.location() + ": corrupt index: leaf " + (node - leaf0) + " points at offset "
                + offset + ", outside the features section (" + featuresEnd + " bytes)");
          }
          long end = node + 1 < readEnd ? nodes.getLong(at + 32 + FgbHeader.NODE_BYTES) : featuresEnd;
          items[n] = node - leaf0;
          offsets[n] = offset;
          ends[n] = end > offset ? end : -1;
          n++;
        }
      }
    }
    return new Hits(items, offsets, ends, n);
  }

  private static boolean intersects(ByteBuffer nodes, int at, double minX, double minY, double maxX, double maxY) {
    return !(nodes.getDouble(at) > maxX || nodes.getDouble(at + 8) > maxY
        || nodes.getDouble(at + 16) < minX || nodes.getDouble(at + 24) < minY);
  }

  private static ByteBuffer readNodes(InputFile file, FgbHeader header, long from, long to) throws IOException {
    byte[] bytes = file.readFully(header.indexStart() + from * FgbHeader.NODE_BYTES,
        (int) ((to - from) * FgbHeader.NODE_BYTES));
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Merges runs of nodes (sorted, disjoint) whose gap is at most {@code maxGapBytes}, into reads of few nodes. */
  static List<long[]> coalesce(List<long[]> runs, int maxGapBytes) {
    long[] offsets = new long[runs.size()];
    long[] lengths = new long[runs.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = runs.get(i)[0] * FgbHeader.NODE_BYTES;
      lengths[i] = (runs.get(i)[1] - runs.get(i)[0]) * FgbHeader.NODE_BYTES;
    }
    RangeCoalescer coalescer = RangeCoalescer.byGap(maxGapBytes, (long) MAX_NODES_PER_READ * FgbHeader.NODE_BYTES);
    List<long[]> out = new ArrayList<>();
    for (RangeCoalescer.Request r : coalescer.coalesce(offsets, lengths)) {
      out.add(new long[] {r.offset() / FgbHeader.NODE_BYTES, r.end() / FgbHeader.NODE_BYTES});
    }
    return out;
  }

  private static long pow(int base, int exp) {
    long r = 1;
    for (int i = 0; i < exp; i++) {
      r = Math.multiplyExact(r, base);
      if (r > (1L << 50)) {
        return r; // larger than any feature count
      }
    }
    return r;
  }
}
