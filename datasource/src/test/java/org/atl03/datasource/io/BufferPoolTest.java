package org.atl03.datasource.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

  @Test
  void givenArraysAreTakenAgainSmallestFirstAndNewOnesAreRounded() {
    BufferPool pool = new BufferPool(2);
    byte[] small = pool.take(10);
    byte[] large = pool.take(3_000_001);
    assertThat(small).hasSize(64 << 10);
    assertThat(large).hasSize(3 << 20);
    pool.give(large);
    pool.give(small);
    assertThat(pool.take(1_000)).isSameAs(small); // the smallest that fits
    assertThat(pool.take(1_000)).isSameAs(large);
    assertThat(pool.take(1_000)).isNotSameAs(small).isNotSameAs(large); // none left: a new one
  }

  @Test
  void aFullPoolLetsTheSmallestGo() {
    BufferPool pool = new BufferPool(2);
    byte[] a = pool.take(1 << 20);
    byte[] b = pool.take(2 << 20);
    byte[] c = pool.take(3 << 20);
    pool.give(b);
    pool.give(a);
    pool.give(c);
    assertThat(pool.take(1)).isSameAs(b);
    assertThat(pool.take(1)).isSameAs(c);
  }

  @Test
  void aPoolOverItsBytesLetsTheSmallestGoUntilItFits() {
    BufferPool pool = new BufferPool(10, 5L << 20);
    byte[] a = pool.take(1 << 20);
    byte[] b = pool.take(2 << 20);
    byte[] c = pool.take(3 << 20);
    pool.give(a);
    pool.give(b);
    assertThat(pool.freeBytes()).isEqualTo(3L << 20);
    pool.give(c); // 6 MiB held: a goes, b and c fit
    assertThat(pool.freeBytes()).isEqualTo(5L << 20);
    assertThat(pool.take(1)).isSameAs(b);
    assertThat(pool.freeBytes()).isEqualTo(3L << 20);
    pool.give(new byte[6 << 20]); // larger than the bound alone: nothing is kept
    assertThat(pool.freeBytes()).isZero();
  }

  @Test
  void lengthsNearTheArrayLimitAreNotRoundedPastIt() {
    assertThat(BufferPool.rounded(Integer.MAX_VALUE - 20)).isEqualTo(Integer.MAX_VALUE - 20);
    assertThat(BufferPool.rounded((1 << 20) + 1)).isEqualTo(2 << 20);
  }
}
