package org.atl03.datasource.atl03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AtlasSdpTimeTest {

  @Test
  void deltaTimeZeroIsTheAtlasSdpEpoch() {
    assertThat(AtlasSdpTime.toInstant(0)).isEqualTo(Instant.parse("2018-01-01T00:00:00Z"));
  }

  @Test
  void theNasaSubsetStartsWhereItsMetadataSays() {
    // ATL03_20181014002445_02350104_006_02: first photon delta_time 24712010.797..., ISO begin 2018-10-14T00:24:44.62Z
    // (the granule's first photons of other beams start slightly earlier than gt1l's subset)
    Instant first = AtlasSdpTime.toInstant(24_712_010.797363494);
    assertThat(first).isBetween(Instant.parse("2018-10-14T00:26:50Z"), Instant.parse("2018-10-14T00:26:51Z"));
    assertThat(AtlasSdpTime.toUnixMicros(24_712_010.797363494)).isEqualTo(1_539_476_810_797_363L);
  }

  @Test
  void gpsRunsEighteenSecondsAheadOfUtcSince2017() {
    // GPS seconds of 2018-01-01 = Unix seconds - GPS epoch + 18 leap seconds
    long unix2018 = Instant.parse("2018-01-01T00:00:00Z").getEpochSecond();
    assertThat(unix2018 - 315_964_800L + 18).isEqualTo((long) AtlasSdpTime.ATLAS_SDP_GPS_EPOCH);
  }

  @Test
  void beforeTheLastLeapSecondTheOffsetIsOneLess() {
    // 2016-12-31T23:59:59Z is 365 days + 1 s (the leap second 2016-12-31T23:59:60) before 2018-01-01 in GPS time
    double deltaTime = -(365 * 86400 + 1 + 1);
    assertThat(AtlasSdpTime.toInstant(deltaTime)).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
  }

  @Test
  void toDeltaTimeInvertsToUnixMicros() {
    for (double deltaTime : new double[] {0, 1.5, 24_712_010.797363494, 2.5e8, -40_000_000}) {
      long micros = AtlasSdpTime.toUnixMicros(deltaTime);
      assertThat(AtlasSdpTime.toDeltaTime(micros)).isCloseTo(deltaTime, within(1e-6));
    }
    assertThat(AtlasSdpTime.toDeltaTime(Instant.parse("2018-01-01T00:00:10Z"))).isEqualTo(10.0);
  }
}
