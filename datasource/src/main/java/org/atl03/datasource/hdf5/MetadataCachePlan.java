package org.atl03.datasource.hdf5;

/**
 * How to cache one file's metadata: block size, how many blocks, and why. A file written with paged aggregation
 * keeps its metadata in pages; reading a page per request fetches it in a few round trips instead of one per
 * 64 KiB block, which is what matters on object stores with tens of milliseconds per request.
 */
public record MetadataCachePlan(int blockSize, int maxBlocks, boolean pageBlocks, String reason) {

  /**
   * Largest page used as a block. A page size comes from the file; far larger blocks would mostly fetch raw data
   * for one small metadata read and hold that much memory per open file. Cloud-optimized granules use 4–8 MiB.
   */
  public static final int MAX_PAGE_BLOCK = 16 * 1024 * 1024;

  /** Fewest page blocks kept: metadata of one object can straddle two pages. */
  static final int MIN_PAGE_BLOCKS = 2;

  /** The plan for a file with {@code info}, starting from the unpaged settings of {@code options}. */
  public static MetadataCachePlan of(FileSpaceInfo info, ReadOptions options) {
    int block = options.metadataBlockSize();
    int blocks = options.metadataCacheBlocks();
    if (!info.paged()) {
      return new MetadataCachePlan(block, blocks, false,
          "not paged (file space strategy " + info.strategy() + ")");
    }
    long page = info.pageSize();
    if (page <= block) {
      return new MetadataCachePlan(block, blocks, false,
          "paged, but its " + page + "-byte pages are no larger than the " + block + "-byte blocks");
    }
    if (page > MAX_PAGE_BLOCK) {
      return new MetadataCachePlan(block, blocks, false, "paged with " + page + "-byte pages, more than the "
          + MAX_PAGE_BLOCK + "-byte cap: read in " + block + "-byte blocks instead");
    }
    // keep the configured capacity in bytes, but never fewer than two pages
    long capacity = (long) block * blocks;
    int pageBlocks = (int) Math.max(MIN_PAGE_BLOCKS, capacity / page);
    return new MetadataCachePlan((int) page, pageBlocks, true,
        "paged: metadata read in whole " + page + "-byte pages");
  }
}
