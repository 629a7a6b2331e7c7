package org.atl03.udfs;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.atl03.udfs.expressions.Arguments;
import org.atl03.udfs.expressions.PhotonExpressions;
import org.atl03.udfs.polygon.PolygonExpressions;
import scala.Function1;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** The ATL03 SQL functions: name, usage (DESCRIBE FUNCTION shows it) and how a call becomes an expression. */
public final class Atl03Functions {

  /** One SQL function. */
  public record Definition(String name, String usage, Function<Arguments, Expression> builder) {

    public FunctionIdentifier identifier() {
      return new FunctionIdentifier(name, scala.Option.empty(), scala.Option.empty());
    }

    public ExpressionInfo info() {
      return new ExpressionInfo(Atl03Functions.class.getName(), null, name, usage, "");
    }

    /** Spark's FunctionBuilder: arguments to expression. */
    public Function1<Seq<Expression>, Expression> sparkBuilder() {
      return args -> builder.apply(Arguments.of(name, JavaConverters.seqAsJavaList(args)));
    }
  }

  public static final List<Definition> ALL = List.of(
      new Definition("atl03_time",
          "_FUNC_(delta_time) - UTC timestamp of an ATL03 delta_time (GPS seconds since the ATLAS SDP epoch "
              + "2018-01-01T00:00:00Z), leap seconds applied.",
          PhotonExpressions::time),
      new Definition("atl03_delta_time",
          "_FUNC_(time) - ATL03 delta_time of a UTC timestamp (or timestamp text): the inverse of atl03_time.",
          PhotonExpressions::deltaTime),
      new Definition("atl03_signal",
          "_FUNC_(signal_conf_ph, surface) - The photon's signal confidence (-2 TEP, -1 not considered, 0 noise, "
              + "1 buffer, 2 low, 3 medium, 4 high) for a surface: land, ocean, sea_ice, land_ice, inland_water "
              + "(0-4), or dynamic (-1): the highest of the five (SlideRule's srt).",
          PhotonExpressions::signal),
      new Definition("atl03_is_signal",
          "_FUNC_(signal_conf_ph, surface, min_conf) - Whether the photon's confidence for the surface is at least "
              + "min_conf (a value -2..4 or a name: tep, not_considered, noise, buffer, low, medium, high), or, for "
              + "an array, one of its values (SlideRule's cnf).",
          PhotonExpressions::isSignal),
      new Definition("atl03_confidence_name",
          "_FUNC_(signal_conf) - The name of a signal confidence value: tep, not_considered, noise, buffer, low, "
              + "medium, high; null for other values.",
          PhotonExpressions::confidenceName),
      new Definition("atl03_quality_ok",
          "_FUNC_(quality_ph [, allowed]) - Whether quality_ph is allowed: nominal (0) by default, else one of "
              + "allowed (values or names: nominal, possible_afterpulse, possible_impulse_response_effect, "
              + "possible_tep; a value or an array), as SlideRule's quality_ph parameter.",
          PhotonExpressions::qualityOk),
      new Definition("atl03_beam_strength",
          "_FUNC_(beam, sc_orient) - strong, weak or unknown: with orbit_info/sc_orient 0 (backward) the left "
              + "beams gt1l, gt2l, gt3l are strong, with 1 (forward) the right ones, 2 (transition) unknown.",
          PhotonExpressions::beamStrength),
      new Definition("atl03_along_track",
          "_FUNC_(segment_dist_x, dist_ph_along) - The photon's along-track distance from the equator crossing, "
              + "in metres: its segment's start plus its distance within the segment.",
          PhotonExpressions::alongTrack),
      new Definition("atl03_polygon",
          "_FUNC_(path) - The polygon of a WKT or GeoJSON file (lon/lat degrees), as a Sedona geometry: "
              + "ST_Contains(atl03_polygon('aoi.geojson'), ST_Point(lon_ph, lat_ph)).",
          PolygonExpressions::polygon));

  private Atl03Functions() {}
}
