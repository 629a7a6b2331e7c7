package org.atl03.jobs.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ZOrderTest {

  @Test
  void spreadPutsEachBitAtTwiceItsPosition() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      long v = random.nextInt() & 0x7fffffffL;
      long expected = 0;
      for (int bit = 0; bit < ZOrder.BITS; bit++) {
        expected |= ((v >>> bit) & 1) << (2 * bit);
      }
      assertThat(ZOrder.spread(v)).isEqualTo(expected);
    }
  }

  @Test
  void keyInterleavesLongitudeAboveLatitude() {
    long lon = ZOrder.quantize(10.5, -180, 360);
    long lat = ZOrder.quantize(-33.25, -90, 180);
    long key = ZOrder.key(10.5, -33.25);
    for (int bit = 0; bit < ZOrder.BITS; bit++) {
      assertThat((key >>> (2 * bit + 1)) & 1).isEqualTo((lon >>> bit) & 1);
      assertThat((key >>> (2 * bit)) & 1).isEqualTo((lat >>> bit) & 1);
    }
    assertThat(key).isPositive();
  }

  @Test
  void quadrantsOrderLikeAGeohash() {
    // the first (most significant) split is longitude, then latitude: SW < NW < SE < NE
    long sw = ZOrder.key(-90, -45);
    long nw = ZOrder.key(-90, 45);
    long se = ZOrder.key(90, -45);
    long ne = ZOrder.key(90, 45);
    assertThat(sw).isLessThan(nw);
    assertThat(nw).isLessThan(se);
    assertThat(se).isLessThan(ne);
  }

  @Test
  void edgesAndBadValuesClampInsteadOfWrapping() {
    assertThat(ZOrder.quantize(-180, -180, 360)).isZero();
    assertThat(ZOrder.quantize(180, -180, 360)).isEqualTo((1L << ZOrder.BITS) - 1);
    assertThat(ZOrder.quantize(Double.NaN, -180, 360)).isZero();
    assertThat(ZOrder.quantize(1e300, -90, 180)).isEqualTo((1L << ZOrder.BITS) - 1);
    assertThat(ZOrder.key(180, 90)).isEqualTo((1L << 62) - 1);
  }

  @Test
  void nearbyPhotonsShareALongKeyPrefix() {
    // two photons 1 m apart along a track share far more leading bits than two photons 100 km apart
    long a = ZOrder.key(-49.95, 69.15);
    long b = ZOrder.key(-49.95, 69.15001);
    long far = ZOrder.key(-48.0, 70.0);
    assertThat(Long.numberOfLeadingZeros(a ^ b)).isGreaterThan(Long.numberOfLeadingZeros(a ^ far) + 20);
  }
}
