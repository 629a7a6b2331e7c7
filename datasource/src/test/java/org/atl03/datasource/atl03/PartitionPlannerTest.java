package org.atl03.datasource.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.atl03.datasource.atl03.PartitionPlanner.PhotonSplit;
import org.junit.jupiter.api.Test;

class PartitionPlannerTest {

  @Test
  void fullBeamIsCutOnTheChunkGrid() {
    List<PhotonSplit> splits = PartitionPlanner.plan(List.of(new PhotonRange(0, 95_000)), 95_000, 10_000, 4);

    assertThat(splits)
        .extracting(PhotonSplit::window)
        .containsExactly(new PhotonRange(0, 40_000), new PhotonRange(40_000, 80_000), new PhotonRange(80_000, 95_000));
    assertThat(splits).allSatisfy(s -> assertThat(s.ranges()).containsExactly(s.window()));
  }

  @Test
  void selectedRangesGoToTheWindowsHoldingThemAndEmptyWindowsAreSkipped() {
    List<PhotonRange> selected =
        List.of(new PhotonRange(5_000, 12_000), new PhotonRange(61_000, 61_500), new PhotonRange(11_000, 13_000));

    List<PhotonSplit> splits = PartitionPlanner.plan(selected, 100_000, 10_000, 1);

    assertThat(splits).hasSize(3);
    assertThat(splits.get(0).window()).isEqualTo(new PhotonRange(0, 10_000));
    assertThat(splits.get(0).ranges()).containsExactly(new PhotonRange(5_000, 10_000));
    assertThat(splits.get(1).window()).isEqualTo(new PhotonRange(10_000, 20_000));
    assertThat(splits.get(1).ranges()).containsExactly(new PhotonRange(10_000, 13_000));
    assertThat(splits.get(2).window()).isEqualTo(new PhotonRange(60_000, 70_000));
    assertThat(splits.get(2).ranges()).containsExactly(new PhotonRange(61_000, 61_500));
    assertThat(splits.stream().mapToLong(PhotonSplit::photons).sum()).isEqualTo(7_000 + 1_000 + 500);
  }

  @Test
  void aLongRangeSpansManyWindowsWithoutGapsOrOverlaps() {
    List<PhotonSplit> splits = PartitionPlanner.plan(List.of(new PhotonRange(3, 1_000_003)), 2_000_000, 100_000, 2);

    assertThat(splits).hasSize(6);
    long next = 3;
    for (PhotonSplit split : splits) {
      assertThat(split.window().start() % 200_000).isZero();
      assertThat(split.ranges()).hasSize(1);
      assertThat(split.ranges().get(0).start()).isEqualTo(next);
      next = split.ranges().get(0).end();
    }
    assertThat(next).isEqualTo(1_000_003);
  }

  @Test
  void nothingSelectedPlansNothingAndBadArgumentsAreRefused() {
    assertThat(PartitionPlanner.plan(List.of(), 10, 10_000, 1)).isEmpty();
    assertThatThrownBy(() -> PartitionPlanner.plan(List.of(new PhotonRange(0, 11)), 10, 10_000, 1))
        .hasMessageContaining("beyond");
    assertThatThrownBy(() -> PartitionPlanner.plan(List.of(), 10, 0, 1)).hasMessageContaining("positive");
  }
}
