package org.atl03.udfs.polygon;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.types.UserDefinedType;
import org.atl03.datasource.spark.SedonaGeometry;
import org.atl03.udfs.expressions.Arguments;
import org.locationtech.jts.geom.Geometry;

/** atl03_polygon(path): the polygon of a WKT or GeoJSON file, read once on the driver as the query is planned. */
public final class PolygonExpressions {

  private PolygonExpressions() {}

  public static Expression polygon(Arguments args) {
    args.expect(1, 1, "atl03_polygon(path)");
    args.asString(0, "path");
    List<String> path = args.constantValues(0, "path");
    UserDefinedType<Object> type = SedonaGeometry.type(args.function());
    Geometry geometry;
    try {
      geometry = PolygonFiles.read(path.get(0), SparkSession.active().sessionState().newHadoopConf());
    } catch (IllegalArgumentException e) {
      throw args.error(e.getMessage());
    }
    return Literal.create(SedonaGeometry.serialize(type, geometry), type);
  }
}
