package org.atl03.datasource.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.atl03.datasource.io.RangeCoalescer.Request;
import org.junit.jupiter.api.Test;

class RangeCoalescerTest {

  @Test
  void mergesWhileTheSpanIsAtMostTwiceTheNeededBytes() {
    // needed 100 + 100, gap 200: span 400 = 2 x 200 -> merge; a further range after a 1000 gap does not
    List<Request> r = RangeCoalescer.DEFAULT.coalesce(new long[] {0, 300, 1400}, new long[] {100, 100, 100});
    assertThat(r).containsExactly(new Request(0, 400, 0, 2), new Request(1400, 100, 2, 1));
  }

  @Test
  void aGapOneByteTooLargeSplits() {
    List<Request> r = RangeCoalescer.DEFAULT.coalesce(new long[] {0, 301}, new long[] {100, 100});
    assertThat(r).containsExactly(new Request(0, 100, 0, 1), new Request(301, 100, 1, 1));
  }

  @Test
  void adjacentRangesMergeAndNoneKeepsThemApart() {
    long[] offsets = {10, 20, 30};
    long[] lengths = {10, 10, 10};
    assertThat(RangeCoalescer.DEFAULT.coalesce(offsets, lengths)).containsExactly(new Request(10, 30, 0, 3));
    assertThat(RangeCoalescer.NONE.coalesce(offsets, lengths)).hasSize(3);
  }

  @Test
  void requestSizeIsCapped() {
    RangeCoalescer c = new RangeCoalescer(2.0, 250);
    assertThat(c.coalesce(new long[] {0, 100, 200}, new long[] {100, 100, 100}))
        .containsExactly(new Request(0, 200, 0, 2), new Request(200, 100, 2, 1));
    // a single range larger than the cap still gets its own request
    assertThat(c.coalesce(new long[] {0}, new long[] {1000})).containsExactly(new Request(0, 1000, 0, 1));
  }

  @Test
  void ratioAppliesToTheWholeMergedRequest() {
    // small ranges far apart from a big one: 10 + 10 needed over a 1000-byte span never merge even though
    // the big third range would make the total ratio look fine afterwards
    List<Request> r = RangeCoalescer.DEFAULT.coalesce(new long[] {0, 990, 1000}, new long[] {10, 10, 2000});
    assertThat(r).containsExactly(new Request(0, 10, 0, 1), new Request(990, 2010, 1, 2));
  }

  @Test
  void emptyInputAndUnsortedInput() {
    assertThat(RangeCoalescer.DEFAULT.coalesce(new long[0], new long[0])).isEmpty();
    assertThatThrownBy(() -> RangeCoalescer.DEFAULT.coalesce(new long[] {100, 0}, new long[] {10, 10}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sorted");
  }
}
