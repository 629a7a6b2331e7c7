package org.atl03.udfs.photon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The functions behind the SQL ones, against values worked out by hand from the ATL03 definitions. */
class PhotonFunctionsTest {

  private static long micros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Test
  void deltaTimeZeroIsTheAtlasSdpEpoch() {
    assertThat(PhotonFunctions.time(0)).isEqualTo(micros("2018-01-01T00:00:00Z"));
    assertThat(PhotonFunctions.time(86_400.25)).isEqualTo(micros("2018-01-02T00:00:00.250Z"));
    assertThat(PhotonFunctions.deltaTime(micros("2018-01-01T00:00:00Z"))).isEqualTo(0.0);
  }

  @Test
  void theLeapSecondAtTheEndOf2016IsCounted() {
    // 2017 has 365 days and no leap second: 2017-01-01T00:00:00Z is 365 × 86400 GPS seconds before the epoch
    long year2017 = 365L * 86_400;
    assertThat(LocalDate.of(2017, 1, 1).plusDays(365)).isEqualTo(LocalDate.of(2018, 1, 1));
    assertThat(PhotonFunctions.time(-year2017)).isEqualTo(micros("2017-01-01T00:00:00Z"));
    // one UTC second earlier is two GPS seconds earlier: 2016-12-31T23:59:60 lies between
    assertThat(PhotonFunctions.time(-year2017 - 2)).isEqualTo(micros("2016-12-31T23:59:59Z"));
    assertThat(PhotonFunctions.deltaTime(micros("2016-12-31T23:59:59Z"))).isEqualTo(-year2017 - 2.0);
    // a mission time (2019-06-01T12:00:00.5Z): no leap second since 2018, plain calendar arithmetic
    double days = LocalDate.of(2019, 6, 1).toEpochDay() - LocalDate.of(2018, 1, 1).toEpochDay();
    assertThat(PhotonFunctions.time(days * 86_400 + 43_200.5))
        .isEqualTo(LocalDate.of(2019, 6, 1).atTime(12, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 500_000);
  }

  private static ArrayData conf(int... values) {
    Object[] bytes = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return new GenericArrayData(bytes);
  }

  @Test
  void signalConfidenceIsTheSurfacesColumnAndDynamicIsTheHighest() {
    // land high, ocean not considered, sea ice noise, land ice low, inland water buffer
    ArrayData c = conf(4, -1, 0, 2, 1);
    assertThat(PhotonFunctions.signal(c, Surface.LAND.index())).isEqualTo((byte) 4);
    assertThat(PhotonFunctions.signal(c, Surface.OCEAN.index())).isEqualTo((byte) -1);
    assertThat(PhotonFunctions.signal(c, Surface.SEA_ICE.index())).isEqualTo((byte) 0);
    assertThat(PhotonFunctions.signal(c, Surface.LAND_ICE.index())).isEqualTo((byte) 2);
    assertThat(PhotonFunctions.signal(c, Surface.INLAND_WATER.index())).isEqualTo((byte) 1);
    assertThat(PhotonFunctions.signal(conf(-1, 3, 0, 2, 1), Surface.DYNAMIC.index())).isEqualTo((byte) 3);
    assertThat(PhotonFunctions.signal(conf(-2, -2, -2, -2, -2), Surface.DYNAMIC.index())).isEqualTo((byte) -2);
    assertThatThrownBy(() -> PhotonFunctions.signal(c, 5)).hasMessageContaining("unknown surface type 5");
    assertThatThrownBy(() -> PhotonFunctions.signal(conf(1, 2, 3), 0)).hasMessageContaining("has 3 values");
  }

  @Test
  void confidenceValuesMeanWhatTheAtbdSays() {
    assertThat(List.of(SignalConfidence.values()).stream().map(c -> c.value() + " " + c.sqlName()).toList())
        .containsExactly("-2 tep", "-1 not_considered", "0 noise", "1 buffer", "2 low", "3 medium", "4 high");
    assertThat(SignalConfidence.named("HIGH")).isEqualTo(SignalConfidence.HIGH);
    assertThat(SignalConfidence.named("atl03_background")).isEqualTo(SignalConfidence.NOISE);
    assertThat(SignalConfidence.named("within_10m")).isEqualTo(SignalConfidence.BUFFER);
    assertThat(SignalConfidence.named("not considered")).isEqualTo(SignalConfidence.NOT_CONSIDERED);
    assertThat(SignalConfidence.named("-2")).isEqualTo(SignalConfidence.TEP);
    assertThatThrownBy(() -> SignalConfidence.named("certain")).hasMessageContaining("unknown signal confidence "
        + "'certain'").hasMessageContaining("high (4)");
    for (int v = -2; v <= 4; v++) {
      assertThat(PhotonFunctions.confidenceName(v).toString()).isEqualTo(SignalConfidence.of(v).sqlName());
    }
    assertThat(PhotonFunctions.confidenceName(5)).isNull();
  }

  @Test
  void isSignalThresholdsAndListsFollowSlideRulesCnf() {
    ArrayData c = conf(4, -1, 0, 2, 1);
    int land = Surface.LAND.index();
    int ocean = Surface.OCEAN.index();
    assertThat(PhotonFunctions.isSignal(c, land, SignalConfidence.HIGH.value())).isTrue();
    assertThat(PhotonFunctions.isSignal(c, Surface.LAND_ICE.index(), SignalConfidence.MEDIUM.value())).isFalse();
    assertThat(PhotonFunctions.isSignal(c, Surface.LAND_ICE.index(), SignalConfidence.LOW.value())).isTrue();
    // not considered is below noise: a threshold of noise drops the surfaces the photon was not classified for
    assertThat(PhotonFunctions.isSignal(c, ocean, SignalConfidence.NOISE.value())).isFalse();
    assertThat(PhotonFunctions.isSignal(c, ocean, SignalConfidence.NOT_CONSIDERED.value())).isTrue();
    // TEP photons pass only a threshold of -2
    assertThat(PhotonFunctions.isSignal(conf(-2, -2, -2, -2, -2), land, SignalConfidence.TEP.value())).isTrue();
    assertThat(PhotonFunctions.isSignal(conf(-2, -2, -2, -2, -2), land, SignalConfidence.NOT_CONSIDERED.value()))
        .isFalse();
    int lowOrHigh = PhotonFunctions.confidenceMask(List.of(SignalConfidence.LOW, SignalConfidence.HIGH));
    assertThat(PhotonFunctions.isSignalIn(c, land, lowOrHigh)).isTrue();
    assertThat(PhotonFunctions.isSignalIn(c, Surface.LAND_ICE.index(), lowOrHigh)).isTrue();
    assertThat(PhotonFunctions.isSignalIn(c, Surface.INLAND_WATER.index(), lowOrHigh)).isFalse();
    int tep = PhotonFunctions.confidenceMask(List.of(SignalConfidence.TEP));
    assertThat(PhotonFunctions.isSignalIn(conf(-2, -2, -2, -2, -2), land, tep)).isTrue();
    assertThat(PhotonFunctions.isSignalIn(c, ocean, tep)).isFalse();
  }

  @Test
  void qualityIsInTheAllowedSet() {
    int nominal = PhotonFunctions.qualityMask(List.of(PhotonQuality.NOMINAL));
    assertThat(PhotonFunctions.qualityIn((byte) 0, nominal)).isTrue();
    assertThat(PhotonFunctions.qualityIn((byte) 1, nominal)).isFalse();
    int nominalOrTep = PhotonFunctions.qualityMask(List.of(PhotonQuality.NOMINAL, PhotonQuality.named("tep")));
    assertThat(PhotonFunctions.qualityIn((byte) 3, nominalOrTep)).isTrue();
    assertThat(PhotonFunctions.qualityIn((byte) 2, nominalOrTep)).isFalse();
    assertThat(PhotonFunctions.qualityIn((byte) -1, nominalOrTep)).isFalse();
    assertThat(PhotonQuality.named("afterpulse")).isEqualTo(PhotonQuality.POSSIBLE_AFTERPULSE);
    assertThat(PhotonQuality.named("impulse_response")).isEqualTo(PhotonQuality.POSSIBLE_IMPULSE_RESPONSE_EFFECT);
    assertThatThrownBy(() -> PhotonQuality.named("cloudy")).hasMessageContaining("unknown quality_ph 'cloudy'");
  }

  @Test
  void beamStrengthFollowsTheSpacecraftOrientation() {
    for (String beam : List.of("gt1l", "gt2l", "gt3l")) {
      assertThat(strength(beam, 0)).as(beam + " backward").isEqualTo("strong");
      assertThat(strength(beam, 1)).as(beam + " forward").isEqualTo("weak");
      assertThat(strength(beam, 2)).as(beam + " transition").isEqualTo("unknown");
    }
    for (String beam : List.of("gt1r", "gt2r", "gt3r")) {
      assertThat(strength(beam, 0)).as(beam + " backward").isEqualTo("weak");
      assertThat(strength(beam, 1)).as(beam + " forward").isEqualTo("strong");
      assertThat(strength(beam, 2)).as(beam + " transition").isEqualTo("unknown");
    }
    assertThatThrownBy(() -> strength("gt4l", 0)).hasMessageContaining("not an ATL03 beam: 'gt4l'");
  }

  private static String strength(String beam, int orientation) {
    return PhotonFunctions.beamStrength(UTF8String.fromString(beam), orientation).toString();
  }

  @Test
  void surfacesByNameOrNumber() {
    assertThat(Surface.named("sea ice")).isEqualTo(Surface.SEA_ICE);
    assertThat(Surface.named("Land-Ice")).isEqualTo(Surface.LAND_ICE);
    assertThat(Surface.named("SRT_INLAND_WATER")).isEqualTo(Surface.INLAND_WATER);
    assertThat(Surface.named("-1")).isEqualTo(Surface.DYNAMIC);
    assertThat(Surface.named("1")).isEqualTo(Surface.OCEAN);
    assertThatThrownBy(() -> Surface.named("glacier")).hasMessageContaining("unknown surface type 'glacier'")
        .hasMessageContaining("land_ice (3)");
  }

  @Test
  void alongTrackIsTheSegmentStartPlusTheDistanceInIt() {
    assertThat(PhotonFunctions.alongTrack(1_234_560.5, 13.25)).isEqualTo(1_234_573.75);
  }
}
