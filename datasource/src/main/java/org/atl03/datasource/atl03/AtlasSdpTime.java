package org.atl03.datasource.atl03;

import java.time.Instant;

/**
 * ATL03 {@code delta_time}: GPS seconds since the ATLAS Standard Data Product epoch, 2018-01-01T00:00:00Z
 * ({@code ancillary_data/atlas_sdp_gps_epoch} = 1198800018 GPS seconds). GPS time has no leap seconds, UTC does:
 * converting applies every leap second UTC inserted after the GPS epoch (1980-01-06), so times stay right if one
 * is ever inserted after 2017.
 */
public final class AtlasSdpTime {

  /** {@code atlas_sdp_gps_epoch}: GPS seconds from 1980-01-06T00:00:00Z to 2018-01-01T00:00:00Z. */
  public static final double ATLAS_SDP_GPS_EPOCH = 1_198_800_018.0;

  private static final long GPS_EPOCH_UNIX_SECONDS = 315_964_800L; // 1980-01-06T00:00:00Z

  /** UTC instants (Unix seconds) from which GPS runs one more second ahead of UTC. */
  private static final long[] LEAP_SECONDS_UNIX = {
    362_793_600L, // 1981-07-01
    394_329_600L, // 1982-07-01
    425_865_600L, // 1983-07-01
    489_024_000L, // 1985-07-01
    567_993_600L, // 1988-01-01
    631_152_000L, // 1990-01-01
    662_688_000L, // 1991-01-01
    709_948_800L, // 1992-07-01
    741_484_800L, // 1993-07-01
    773_020_800L, // 1994-07-01
    820_454_400L, // 1996-01-01
    867_715_200L, // 1997-07-01
    915_148_800L, // 1999-01-01
    1_136_073_600L, // 2006-01-01
    1_230_768_000L, // 2009-01-01
    1_341_100_800L, // 2012-07-01
    1_435_708_800L, // 2015-07-01
    1_483_228_800L, // 2017-01-01
  };

  private AtlasSdpTime() {}

  /** Microseconds since the Unix epoch (Spark's TimestampType) of a delta_time, using the standard epoch. */
  public static long toUnixMicros(double deltaTime) {
    return toUnixMicros(deltaTime, ATLAS_SDP_GPS_EPOCH);
  }

  /** As {@link #toUnixMicros(double)} with a granule's own {@code atlas_sdp_gps_epoch}. */
  public static long toUnixMicros(double deltaTime, double sdpGpsEpoch) {
    // in whole microseconds: a double of Unix seconds cannot hold microseconds exactly
    long noLeapMicros =
        GPS_EPOCH_UNIX_SECONDS * 1_000_000L + Math.round(sdpGpsEpoch * 1e6) + Math.round(deltaTime * 1e6);
    // GPS runs ahead of UTC by the leap seconds in effect at that moment
    long leaps = 0;
    for (long leap : LEAP_SECONDS_UNIX) {
      if (noLeapMicros - (leaps + 1) * 1_000_000L >= leap * 1_000_000L) {
        leaps++;
      }
    }
    return noLeapMicros - leaps * 1_000_000L;
  }

  public static Instant toInstant(double deltaTime) {
    long micros = toUnixMicros(deltaTime);
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** The delta_time of a UTC instant (the inverse of {@link #toUnixMicros(double)}). */
  public static double toDeltaTime(long unixMicros) {
    return toDeltaTime(unixMicros, ATLAS_SDP_GPS_EPOCH);
  }

  /** As {@link #toDeltaTime(long)} with a granule's own {@code atlas_sdp_gps_epoch}. */
  public static double toDeltaTime(long unixMicros, double sdpGpsEpoch) {
    double unixSeconds = unixMicros / 1e6;
    int leaps = 0;
    for (long leap : LEAP_SECONDS_UNIX) {
      if (unixSeconds >= leap) {
        leaps++;
      }
    }
    return unixSeconds + leaps - GPS_EPOCH_UNIX_SECONDS - sdpGpsEpoch;
  }

  /**
   * Seconds by which {@link #toDeltaTime(long, double)} of an instant may miss a delta_time that
   * {@link #toUnixMicros(double, double)} maps to that instant: under a millisecond of rounding, or a whole second
   * near a leap second, where UTC repeats one. A time filter widened by it never loses a photon.
   */
  public static double inversionSlackSeconds(long unixMicros) {
    for (long leap : LEAP_SECONDS_UNIX) {
      if (Math.abs(unixMicros / 1e6 - leap) <= 3) {
        return 2.0;
      }
    }
    return 1e-3;
  }

  public static double toDeltaTime(Instant instant) {
    return toDeltaTime(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000));
  }
}
