package org.atl03.datasource.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A slice narrowed to a window equals the slice of that window cut from the whole index. */
class SegmentSliceTest {

  @Test
  void aNarrowedSliceEqualsTheSliceOfTheWindowFromTheIndex() {
    Random random = new Random(23);
    for (int trial = 0; trial < 1_000; trial++) {
      int n = 1 + random.nextInt(200);
      int[] counts = new int[n];
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        counts[i] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30); // empty segments too
        ids[i] = 1_000 + 2 * i;
      }
      counts[random.nextInt(n)] = 5; // at least one photon
      SegmentIndex index = new SegmentIndex(ids, counts, null, null, null);
      long photons = index.photons();
      PhotonRange outer = window(random, 0, photons);
      SegmentSlice slice = SegmentSlice.of(index, outer);
      PhotonRange inner = window(random, outer.start(), outer.end());
      SegmentSlice narrowed = slice.narrowed(inner);
      SegmentSlice direct = SegmentSlice.of(index, inner);
      assertThat(narrowed.firstSegment()).as("trial %d", trial).isEqualTo(direct.firstSegment());
      assertThat(narrowed.segments()).as("trial %d", trial).isEqualTo(direct.segments());
      int[] a = new int[(int) inner.length()];
      int[] b = new int[(int) inner.length()];
      narrowed.segmentsOf(inner.start(), inner.end(), a);
      direct.segmentsOf(inner.start(), inner.end(), b);
      assertThat(a).as("trial %d", trial).isEqualTo(b);
      for (int s = 0; s < narrowed.segments(); s++) {
        assertThat(narrowed.segmentId(s)).isEqualTo(direct.segmentId(s));
      }
    }
  }

  @Test
  void photonsOutsideTheSliceAreRefused() {
    SegmentIndex index = new SegmentIndex(null, new int[] {3, 0, 4, 2}, null, null, null);
    SegmentSlice slice = SegmentSlice.of(index, new PhotonRange(3, 7));
    assertThatThrownBy(() -> slice.narrowed(new PhotonRange(2, 5))).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("photon 2 outside the slice [3, 7)");
  }

  private static PhotonRange window(Random random, long from, long to) {
    long a = from + (long) (random.nextDouble() * (to - from));
    long b = from + (long) (random.nextDouble() * (to - from));
    return new PhotonRange(Math.min(a, b), Math.max(a, b) + 1 > to ? to : Math.max(a, b) + 1);
  }
}
