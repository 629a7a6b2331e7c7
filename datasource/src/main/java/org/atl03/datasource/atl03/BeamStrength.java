package org.atl03.datasource.atl03;

import java.util.regex.Pattern;

/**
 * Which beams are strong follows the spacecraft's orientation ({@code orbit_info/sc_orient}): 0, backward, the left
 * beams (gt1l, gt2l, gt3l) are strong; 1, forward, the right ones; 2, in transition, unknown.
 */
public final class BeamStrength {

  public static final String STRONG = "strong";
  public static final String WEAK = "weak";
  public static final String UNKNOWN = "unknown";

  public static final int BACKWARD = 0;
  public static final int FORWARD = 1;

  private static final Pattern BEAM = Pattern.compile("gt[123][lr]");

  private BeamStrength() {}

  /** "strong", "weak" or "unknown" (orientations other than backward and forward); a beam is gt1l … gt3r. */
  public static String of(String beam, int scOrient) {
    if (!isBeam(beam)) {
      throw new IllegalArgumentException("not an ATL03 beam: '" + beam + "' (expected gt1l, gt1r … gt3r)");
    }
    boolean left = beam.charAt(3) == 'l';
    return switch (scOrient) {
      case BACKWARD -> left ? STRONG : WEAK;
      case FORWARD -> left ? WEAK : STRONG;
      default -> UNKNOWN;
    };
  }

  public static boolean isBeam(String beam) {
    return beam != null && BEAM.matcher(beam).matches();
  }
}
