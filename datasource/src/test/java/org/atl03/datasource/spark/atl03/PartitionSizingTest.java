package org.atl03.datasource.spark.atl03;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.atl03.PhotonRange;
import org.junit.jupiter.api.Test;

/**
 * How big a partition is (from the scan's photons and the task slots) and how a task cuts it into spans (what
 * bounds its memory): pure functions, checked without running a query.
 */
class PartitionSizingTest {

  private static Atl03Options options(Map<String, String> given) {
    return Atl03Options.parse(new CaseInsensitiveStringMap(given));
  }

  @Test
  void aPartitionHoldsTheScansPhotonsOverAboutThreeTasksPerSlotWithinBounds() {
    // the 488 MB granule on local[2]: 18.75 M photons in about 6 tasks, not 21 of a million
    assertThat(Atl03Options.partitionPhotons(18_750_000, 2)).isEqualTo(3_125_000);
    assertThat(Atl03Options.partitionPhotons(200_000, 2)).isEqualTo(Atl03Options.MIN_PARTITION_PHOTONS);
    assertThat(Atl03Options.partitionPhotons(18_750_000, 64)).isEqualTo(Atl03Options.MIN_PARTITION_PHOTONS);
    assertThat(Atl03Options.partitionPhotons(2_000_000_000L, 4)).isEqualTo(Atl03Options.MAX_PARTITION_PHOTONS);
    assertThat(Atl03Options.partitionPhotons(18_750_000, 0)).isEqualTo(6_250_000); // no slots known: one
    assertThat(Atl03Options.partitionPhotons(0, 2)).isEqualTo(Atl03Options.MIN_PARTITION_PHOTONS);
  }

  @Test
  void chunksPerPartitionIsTheOptionWhenGivenElseThePhotonsInWholeChunks() {
    Atl03Options byDefault = options(Map.of("path", "/g.h5"));
    assertThat(byDefault.chunksPerPartition(10_000, 3_125_000)).isEqualTo(312);
    assertThat(byDefault.chunksPerPartition(100_000, 3_125_000)).isEqualTo(31); // v007's chunks
    assertThat(byDefault.chunksPerPartition(5_000_000, 1_000_000)).isEqualTo(1); // a chunk larger than a partition
    Atl03Options given = options(Map.of("path", "/g.h5", "chunksPerPartition", "7"));
    assertThat(given.chunksPerPartition(10_000, 3_125_000)).isEqualTo(7);
  }

  @Test
  void catalogWindowsWithAGapBetweenThemAreNotContiguous() {
    assertThat(CatalogScanPlanner.contiguous(List.of())).isTrue();
    assertThat(CatalogScanPlanner.contiguous(List.of(new PhotonRange(0, 10), new PhotonRange(10, 20),
        new PhotonRange(20, 25)))).isTrue();
    assertThat(CatalogScanPlanner.contiguous(List.of(new PhotonRange(0, 10), new PhotonRange(20, 30)))).isFalse();
  }

  @Test
  void aLongRangeIsCutIntoSpansOfWholeChunksThatShareNone() {
    List<List<PhotonRange>> spans = Atl03PartitionReader.spans(List.of(new PhotonRange(25_000, 3_130_000)), 10_000);
    List<PhotonRange> extents = spans.stream().map(PartitionSizingTest::extent).toList();
    // cut where its first chunk's start plus 100 chunks falls: 1.02 M, 2.02 M, 3.02 M
    assertThat(extents).containsExactly(new PhotonRange(25_000, 1_020_000), new PhotonRange(1_020_000, 2_020_000),
        new PhotonRange(2_020_000, 3_020_000), new PhotonRange(3_020_000, 3_130_000));
    // a chunk larger than the bound is a span of its own
    assertThat(Atl03PartitionReader.spans(List.of(new PhotonRange(0, 5_000_000)), 2_000_000).stream()
        .map(PartitionSizingTest::extent).toList())
        .containsExactly(new PhotonRange(0, 2_000_000), new PhotonRange(2_000_000, 4_000_000),
            new PhotonRange(4_000_000, 5_000_000));
  }

  /** Seeded random ranges: every photon in exactly one span, in order, and no span beyond the bound. */
  @Test
  void spansHoldEveryPhotonOnceInOrderAndNeverMoreThanTheBound() {
    Random random = new Random(17);
    for (int trial = 0; trial < 2_000; trial++) {
      long chunkRows = new long[] {1, 7, 10_000, 100_000, 1_500_000}[random.nextInt(5)];
      long bound = Math.max(chunkRows, Atl03PartitionReader.MAX_SPAN_PHOTONS / chunkRows * chunkRows);
      List<PhotonRange> ranges = new ArrayList<>();
      long at = random.nextInt(50_000);
      for (int i = random.nextInt(8) + 1; i > 0; i--) {
        long length = 1 + (long) (random.nextDouble() * random.nextDouble() * 4_000_000);
        ranges.add(new PhotonRange(at, at + length));
        at += length + (random.nextBoolean() ? 0 : 1 + random.nextInt(3_000_000));
      }
      List<List<PhotonRange>> spans = Atl03PartitionReader.spans(ranges, chunkRows);
      List<PhotonRange> flat = new ArrayList<>();
      for (List<PhotonRange> span : spans) {
        assertThat(extent(span).length()).as("trial %d chunk %d", trial, chunkRows).isLessThanOrEqualTo(bound);
        flat.addAll(span);
      }
      assertThat(PhotonRange.normalize(flat)).as("trial %d", trial).isEqualTo(PhotonRange.normalize(ranges));
      assertThat(PhotonRange.totalLength(flat)).isEqualTo(PhotonRange.totalLength(ranges));
      for (int i = 1; i < flat.size(); i++) {
        assertThat(flat.get(i).start()).isGreaterThanOrEqualTo(flat.get(i - 1).end());
      }
    }
  }

  private static PhotonRange extent(List<PhotonRange> span) {
    return new PhotonRange(span.get(0).start(), span.get(span.size() - 1).end());
  }
}
