package org.atl03.udfs.photon;

import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.atl03.datasource.atl03.AtlasSdpTime;
import org.atl03.datasource.atl03.BeamStrength;

/**
 * The photon functions on Spark's internal values (microsecond timestamps, UTF8String, ArrayData): the SQL
 * functions call these from generated code, so a row costs a static call, no boxing or conversion.
 */
public final class PhotonFunctions {

  private static final UTF8String STRONG = UTF8String.fromString(BeamStrength.STRONG);
  private static final UTF8String WEAK = UTF8String.fromString(BeamStrength.WEAK);
  private static final UTF8String UNKNOWN = UTF8String.fromString(BeamStrength.UNKNOWN);

  private PhotonFunctions() {}

  /** UTC timestamp (Spark microseconds) of a delta_time: ATLAS SDP GPS epoch, leap seconds applied. */
  public static long time(double deltaTime) {
    return AtlasSdpTime.toUnixMicros(deltaTime);
  }

  /** delta_time of a UTC timestamp (Spark microseconds). */
  public static double deltaTime(long unixMicros) {
    return AtlasSdpTime.toDeltaTime(unixMicros);
  }

  /** The confidence for one surface (0 … 4) or, for -1 (dynamic), the highest over the five. */
  public static byte signal(ArrayData signalConf, int surface) {
    if (signalConf.numElements() != Surface.COUNT) {
      throw new IllegalArgumentException("signal_conf_ph has " + signalConf.numElements()
          + " values, expected 5 (land, ocean, sea_ice, land_ice, inland_water)");
    }
    if (surface == Surface.DYNAMIC.index()) {
      byte max = Byte.MIN_VALUE;
      for (int i = 0; i < Surface.COUNT; i++) {
        max = (byte) Math.max(max, element(signalConf, i));
      }
      return max;
    }
    if (surface < 0 || surface >= Surface.COUNT) {
      Surface.ofIndex(surface); // throws, naming the valid ones
    }
    return element(signalConf, surface);
  }

  private static byte element(ArrayData signalConf, int i) {
    if (signalConf.isNullAt(i)) {
      throw new IllegalArgumentException("signal_conf_ph has a null value for surface " + Surface.ofIndex(i).sqlName());
    }
    return signalConf.getByte(i);
  }

  /** SlideRule's cnf as a threshold: the surface's confidence is at least {@code minimum}. */
  public static boolean isSignal(ArrayData signalConf, int surface, int minimum) {
    return SignalConfidence.atLeast(signal(signalConf, surface), minimum);
  }

  /** SlideRule's cnf as a list: the surface's confidence is one of a set ({@link #confidenceMask}). */
  public static boolean isSignalIn(ArrayData signalConf, int surface, int allowedMask) {
    return inMask(signal(signalConf, surface) - SignalConfidence.TEP.value(), allowedMask);
  }

  /** SlideRule's quality_ph filter: the photon's quality_ph is one of a set ({@link #qualityMask}). */
  public static boolean qualityIn(byte quality, int allowedMask) {
    return inMask(quality, allowedMask);
  }

  /** Bit (value + 2) for each confidence value -2 … 4. */
  public static int confidenceMask(Iterable<SignalConfidence> allowed) {
    int mask = 0;
    for (SignalConfidence c : allowed) {
      mask |= 1 << (c.value() - SignalConfidence.TEP.value());
    }
    return mask;
  }

  /** Bit value for each quality_ph value. */
  public static int qualityMask(Iterable<PhotonQuality> allowed) {
    int mask = 0;
    for (PhotonQuality q : allowed) {
      mask |= 1 << q.value();
    }
    return mask;
  }

  private static boolean inMask(int bit, int mask) {
    return bit >= 0 && bit < 32 && (mask >>> bit & 1) != 0;
  }

  /** strong / weak / unknown of a beam for the spacecraft orientation (orbit_info/sc_orient). */
  public static UTF8String beamStrength(UTF8String beam, int scOrient) {
    String strength = BeamStrength.of(beam.toString(), scOrient);
    return switch (strength) {
      case BeamStrength.STRONG -> STRONG;
      case BeamStrength.WEAK -> WEAK;
      default -> UNKNOWN;
    };
  }

  /**
   * Along-track distance of a photon from the equator crossing: its segment's {@code segment_dist_x} (to the
   * segment's start) plus its own {@code dist_ph_along} (from the segment's start).
   */
  public static double alongTrack(double segmentDistX, double distPhAlong) {
    return segmentDistX + distPhAlong;
  }

  /** tep, not_considered, noise, buffer, low, medium, high; null outside -2 … 4. */
  public static UTF8String confidenceName(int value) {
    String name = SignalConfidence.nameOf(value);
    return name == null ? null : UTF8String.fromString(name);
  }
}
