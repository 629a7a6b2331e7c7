package org.atl03.udfs.expressions;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StringType;
import org.atl03.datasource.atl03.BeamStrength;
import org.atl03.udfs.photon.PhotonFunctions;
import org.atl03.udfs.photon.PhotonQuality;
import org.atl03.udfs.photon.SignalConfidence;
import org.atl03.udfs.photon.Surface;
import scala.collection.immutable.Nil$;
import scala.collection.JavaConverters;

/**
 * The photon functions as Catalyst expressions: each a {@link StaticInvoke} of {@link PhotonFunctions}, which
 * Spark compiles into its generated code (whole-stage codegen), with constant arguments checked and resolved once.
 */
public final class PhotonExpressions {

  private PhotonExpressions() {}

  /** atl03_time(delta_time) → timestamp. */
  public static Expression time(Arguments args) {
    args.expect(1, 1, "atl03_time(delta_time)");
    return call("time", DataTypes.TimestampType, args.asDouble(0, "delta_time"));
  }

  /** atl03_delta_time(timestamp) → double. */
  public static Expression deltaTime(Arguments args) {
    args.expect(1, 1, "atl03_delta_time(time)");
    return call("deltaTime", DataTypes.DoubleType, args.asTimestamp(0, "time"));
  }

  /** atl03_signal(signal_conf_ph, surface) → tinyint. */
  public static Expression signal(Arguments args) {
    args.expect(2, 2, "atl03_signal(signal_conf_ph, surface)");
    return call("signal", DataTypes.ByteType, args.asByteArray(0, "signal_conf_ph"), surface(args, 1));
  }

  /**
   * atl03_is_signal(signal_conf_ph, surface, cnf) → boolean: cnf a minimum (name or value, constant or column)
   * or a constant array of allowed values.
   */
  public static Expression isSignal(Arguments args) {
    args.expect(3, 3, "atl03_is_signal(signal_conf_ph, surface, min_conf)");
    Expression conf = args.asByteArray(0, "signal_conf_ph");
    Expression surface = surface(args, 1);
    Expression cnf = args.get(2);
    if (cnf.dataType() instanceof org.apache.spark.sql.types.ArrayType) {
      List<SignalConfidence> allowed = new ArrayList<>();
      for (String value : args.constantValues(2, "min_conf")) {
        allowed.add(confidence(args, value));
      }
      return call("isSignalIn", DataTypes.BooleanType, conf, surface,
          intLiteral(PhotonFunctions.confidenceMask(allowed)));
    }
    if (cnf.foldable()) {
      return call("isSignal", DataTypes.BooleanType, conf, surface,
          intLiteral(confidence(args, single(args, 2, "min_conf")).value()));
    }
    return call("isSignal", DataTypes.BooleanType, conf, surface, args.asInt(2, "min_conf"));
  }

  /** atl03_confidence_name(value) → string. */
  public static Expression confidenceName(Arguments args) {
    args.expect(1, 1, "atl03_confidence_name(signal_conf)");
    return call("confidenceName", DataTypes.StringType, args.asInt(0, "signal_conf"));
  }

  /** atl03_quality_ok(quality_ph [, allowed]) → boolean; allowed defaults to nominal (0) only, as in SlideRule. */
  public static Expression qualityOk(Arguments args) {
    args.expect(1, 2, "atl03_quality_ok(quality_ph [, allowed])");
    Expression quality = args.get(0);
    if (!(quality.dataType() instanceof IntegralType)) {
      throw args.error("quality_ph must be an integer, got " + quality.dataType().simpleString());
    }
    List<PhotonQuality> allowed = new ArrayList<>();
    if (args.size() == 1) {
      allowed.add(PhotonQuality.NOMINAL);
    } else {
      for (String value : args.constantValues(1, "allowed")) {
        try {
          allowed.add(PhotonQuality.named(value));
        } catch (IllegalArgumentException e) {
          throw args.error(e.getMessage());
        }
      }
    }
    return call("qualityIn", DataTypes.BooleanType, Arguments.cast(quality, DataTypes.ByteType),
        intLiteral(PhotonFunctions.qualityMask(allowed)));
  }

  /** atl03_beam_strength(beam, sc_orient) → string. */
  public static Expression beamStrength(Arguments args) {
    args.expect(2, 2, "atl03_beam_strength(beam, sc_orient)");
    Expression beam = args.asString(0, "beam");
    if (beam.foldable()) {
      String value = single(args, 0, "beam");
      if (!BeamStrength.isBeam(value)) {
        throw args.error("not an ATL03 beam: '" + value + "' (expected gt1l, gt1r … gt3r)");
      }
    }
    return call("beamStrength", DataTypes.StringType, beam, args.asInt(1, "sc_orient"));
  }

  /** atl03_along_track(segment_dist_x, dist_ph_along) → double, metres from the equator crossing. */
  public static Expression alongTrack(Arguments args) {
    args.expect(2, 2, "atl03_along_track(segment_dist_x, dist_ph_along)");
    return call("alongTrack", DataTypes.DoubleType, args.asDouble(0, "segment_dist_x"),
        args.asDouble(1, "dist_ph_along"));
  }

  /** A surface argument: a constant name or number (checked now), or an integer column (checked per row). */
  private static Expression surface(Arguments args, int i) {
    Expression e = args.get(i);
    if (e.foldable()) {
      try {
        return intLiteral(Surface.named(single(args, i, "surface")).index());
      } catch (IllegalArgumentException ex) {
        throw args.error(ex.getMessage());
      }
    }
    if (e.dataType() instanceof StringType) {
      throw args.error("surface must be a constant name (land, ocean, sea_ice, land_ice, inland_water, dynamic) "
          + "or an integer, got the column " + e.sql());
    }
    return args.asInt(i, "surface");
  }

  private static SignalConfidence confidence(Arguments args, String value) {
    try {
      return SignalConfidence.named(value);
    } catch (IllegalArgumentException e) {
      throw args.error(e.getMessage());
    }
  }

  private static String single(Arguments args, int i, String name) {
    List<String> values = args.constantValues(i, name);
    if (values.size() != 1 || args.get(i).dataType() instanceof org.apache.spark.sql.types.ArrayType) {
      throw args.error(name + " must be a single value, got " + args.get(i).sql());
    }
    return values.get(0);
  }

  private static Expression intLiteral(int value) {
    return Literal.create(value, DataTypes.IntegerType);
  }

  @SuppressWarnings("unchecked")
  private static Expression call(String method, DataType type, Expression... arguments) {
    return new StaticInvoke(PhotonFunctions.class, type, method,
        JavaConverters.asScalaBuffer(List.of(arguments)).toSeq(),
        (scala.collection.Seq<org.apache.spark.sql.types.AbstractDataType>) (Object) Nil$.MODULE$,
        true, true, true);
  }
}
