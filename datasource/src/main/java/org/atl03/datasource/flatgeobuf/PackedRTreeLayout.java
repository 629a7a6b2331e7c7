package org.atl03.datasource.flatgeobuf;

import java.io.Serializable;

/**
 * Where the levels of a FlatGeobuf packed Hilbert R-tree lie: nodes are stored root level first, leaves last; a
 * leaf's offset is its feature's byte offset from the first feature, an inner node's offset the node index of its
 * first child. Level 0 is the leaf level here.
 */
public final class PackedRTreeLayout implements Serializable {

  private final long numItems;
  private final int nodeSize;
  private final long[] levelStart; // node index of each level's first node, level 0 = leaves
  private final long[] levelEnd;

  private PackedRTreeLayout(long numItems, int nodeSize, long[] levelStart, long[] levelEnd) {
    this.numItems = numItems;
    this.nodeSize = nodeSize;
    this.levelStart = levelStart;
    this.levelEnd = levelEnd;
  }

  /** The layout of an index over {@code numItems} features with {@code nodeSize} children per node. */
  public static PackedRTreeLayout of(long numItems, int nodeSize) {
    if (numItems <= 0) {
      throw new IllegalArgumentException("an index needs at least one item: " + numItems);
    }
    if (nodeSize < 2 || nodeSize > 65535) {
      throw new IllegalArgumentException("index node size must be 2 … 65535: " + nodeSize);
    }
    // as the reference implementations: level sizes n, ceil(n/s), … down to 1 (a single item still gets a root)
    long n = numItems;
    long[] sizes = new long[64];
    int levels = 0;
    sizes[levels++] = n;
    do {
      n = (n + nodeSize - 1) / nodeSize;
      sizes[levels++] = n;
    } while (n != 1);
    long total = 0;
    for (int i = 0; i < levels; i++) {
      total += sizes[i];
    }
    long[] start = new long[levels];
    long[] end = new long[levels];
    long remaining = total;
    for (int i = 0; i < levels; i++) {
      start[i] = remaining - sizes[i];
      end[i] = start[i] + sizes[i];
      remaining -= sizes[i];
    }
    return new PackedRTreeLayout(numItems, nodeSize, start, end);
  }

  public long numItems() {
    return numItems;
  }

  public int nodeSize() {
    return nodeSize;
  }

  /** Number of levels, leaves included. */
  public int levels() {
    return levelStart.length;
  }

  public long levelStart(int level) {
    return levelStart[level];
  }

  public long levelEnd(int level) {
    return levelEnd[level];
  }

  public long numNodes() {
    return levelEnd[0];
  }

  /** Bytes of the whole index. */
  public long bytes() {
    return numNodes() * FgbHeader.NODE_BYTES;
  }

  /** Node index of leaf {@code item}. */
  public long leafNode(long item) {
    return levelStart[0] + item;
  }
}
