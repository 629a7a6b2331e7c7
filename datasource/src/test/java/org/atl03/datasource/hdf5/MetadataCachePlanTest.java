package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetadataCachePlanTest {

  private static final ReadOptions OPTIONS = ReadOptions.DEFAULT; // 256 blocks of 64 KiB = 16 MiB

  private static FileSpaceInfo paged(long pageSize) {
    return new FileSpaceInfo(FileSpaceInfo.Strategy.PAGE, false, 1, pageSize);
  }

  @Test
  void unpagedFilesKeepTheConfiguredBlocks() {
    MetadataCachePlan plan = MetadataCachePlan.of(FileSpaceInfo.DEFAULT, OPTIONS);
    assertThat(plan.pageBlocks()).isFalse();
    assertThat(plan.blockSize()).isEqualTo(64 * 1024);
    assertThat(plan.maxBlocks()).isEqualTo(256);
    assertThat(plan.reason()).contains("not paged").contains("FSM_AGGR");
    // a page size recorded under another strategy means nothing
    FileSpaceInfo aggr = new FileSpaceInfo(FileSpaceInfo.Strategy.AGGR, false, 1, 8 << 20);
    assertThat(MetadataCachePlan.of(aggr, OPTIONS).pageBlocks()).isFalse();
  }

  @Test
  void pagesBecomeBlocksWithinTheConfiguredCapacity() {
    MetadataCachePlan eight = MetadataCachePlan.of(paged(8 << 20), OPTIONS);
    assertThat(eight.pageBlocks()).isTrue();
    assertThat(eight.blockSize()).isEqualTo(8 << 20);
    assertThat(eight.maxBlocks()).isEqualTo(2);
    assertThat(eight.reason()).contains("8388608-byte pages");
    MetadataCachePlan one = MetadataCachePlan.of(paged(1 << 20), OPTIONS);
    assertThat(one.blockSize()).isEqualTo(1 << 20);
    assertThat(one.maxBlocks()).isEqualTo(16);
    // a small configured cache still holds two pages, so an object straddling pages is not re-read
    MetadataCachePlan tight = MetadataCachePlan.of(paged(8 << 20), OPTIONS.withMetadataCache(64 * 1024, 4));
    assertThat(tight.maxBlocks()).isEqualTo(2);
  }

  @Test
  void pagesNoLargerThanABlockKeepTheBlocks() {
    MetadataCachePlan plan = MetadataCachePlan.of(paged(4096), OPTIONS);
    assertThat(plan.pageBlocks()).isFalse();
    assertThat(plan.blockSize()).isEqualTo(64 * 1024);
    assertThat(plan.reason()).contains("4096-byte pages are no larger");
  }

  @Test
  void absurdPageSizesFromTheFileAreCapped() {
    MetadataCachePlan plan = MetadataCachePlan.of(paged(1L << 40), OPTIONS);
    assertThat(plan.pageBlocks()).isFalse();
    assertThat(plan.blockSize()).isEqualTo(64 * 1024);
    assertThat(plan.reason()).contains("more than the " + MetadataCachePlan.MAX_PAGE_BLOCK + "-byte cap");
    assertThat(MetadataCachePlan.of(paged(MetadataCachePlan.MAX_PAGE_BLOCK), OPTIONS).pageBlocks()).isTrue();
  }
}
