package org.atl03.udfs.polygon;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.UserDefinedType;
import org.atl03.datasource.spark.PointGeometryTable;
import org.atl03.datasource.spark.SedonaGeometry;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import scala.collection.Iterator;

/**
 * Spark pushes only plain comparisons into a DataSource V2 scan, never a Sedona predicate. This rule finds, among
 * a filter's conjuncts, a point-in-polygon test of a constant polygon and a photon's point — ST_Contains(poly, p),
 * ST_Covers(poly, p), ST_Within(p, poly), ST_CoveredBy(p, poly), ST_Intersects either way, where p is
 * ST_Point(lon, lat) / ST_MakePoint(lon, lat) of two double columns or the atl03 source's geometry column — and adds
 * the polygon's envelope as range conjuncts on those columns: {@code lon >= west AND lon <= east AND lat >= south
 * AND lat <= north}. They are implied by the spatial test, so results do not change; the atl03 scan (and any source
 * that takes range filters) then prunes to the envelope, and Spark still evaluates the exact test on what is read.
 * A box of four double columns, ST_PolygonFromEnvelope(xmin, ymin, xmax, ymax) or ST_MakeEnvelope, meeting (or
 * inside) the polygon gets {@code xmax >= west AND xmin <= east AND ymax >= south AND ymin <= north}: a catalog's
 * granules found by a polygon skip the catalog's files by their bounds' statistics.
 *
 * <p>It runs among the operator optimizations, before Spark pushes filters into V2 scans. Bounds already implied by
 * a conjunct are not added again, so the rule is idempotent across the optimizer's iterations.
 */
public final class EnvelopePushdown extends Rule<LogicalPlan> {

  private static final String SEDONA = "org.apache.spark.sql.sedona_sql.expressions.";
  /** (polygon, point): true only if the point lies in the polygon. */
  private static final Set<String> POLYGON_FIRST =
      Set.of(SEDONA + "ST_Contains", SEDONA + "ST_Covers", SEDONA + "ST_Intersects");
  /** (point, polygon). */
  private static final Set<String> POINT_FIRST =
      Set.of(SEDONA + "ST_Within", SEDONA + "ST_CoveredBy", SEDONA + "ST_Intersects");
  private static final Set<String> POINTS = Set.of(SEDONA + "ST_Point", SEDONA + "ST_MakePoint");
  /** Boxes of (xmin, ymin, xmax, ymax) columns, as a catalog's granule and window bounds are. */
  private static final Set<String> BOXES = Set.of(SEDONA + "ST_PolygonFromEnvelope", SEDONA + "ST_MakeEnvelope");

  /** Field metadata of a point geometry column: the names of its lon and lat columns, "lon_ph,lat_ph". */
  public static final String POINT_OF = SedonaGeometry.POINT_OF;

  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    LogicalPlan withChildren = plan.mapChildren(this::apply);
    return withChildren instanceof Filter filter ? withEnvelope(filter) : withChildren;
  }

  private LogicalPlan withEnvelope(Filter filter) {
    List<Expression> conjuncts = new ArrayList<>();
    split(filter.condition(), conjuncts);
    List<Expression> added = new ArrayList<>();
    for (Expression conjunct : List.copyOf(conjuncts)) {
      Constraint constraint = constraint(conjunct, filter.child());
      if (constraint == null) {
        continue;
      }
      for (Expression bound : constraint.bounds()) {
        if (!implied(bound, conjuncts)) {
          added.add(bound);
          conjuncts.add(bound);
        }
      }
    }
    if (added.isEmpty()) {
      return filter;
    }
    // the cheap comparisons first: Spark evaluates conjuncts in order, so a photon outside the envelope (read
    // because segments are pruned with a margin) skips the spatial test
    Expression bounds = added.get(0);
    for (Expression bound : added.subList(1, added.size())) {
      bounds = new And(bounds, bound);
    }
    return new Filter(new And(bounds, filter.condition()), filter.child());
  }

  /** A point of (lon, lat) columns constrained to a polygon's envelope, or null when the conjunct is not one. */
  private static Constraint constraint(Expression e, LogicalPlan child) {
    String name = e.getClass().getName();
    if (e.children().size() != 2) {
      return null;
    }
    Expression first = e.children().apply(0);
    Expression second = e.children().apply(1);
    Constraint c = null;
    if (POLYGON_FIRST.contains(name)) {
      c = constraint(second, first, child);
    }
    if (c == null && POINT_FIRST.contains(name)) {
      c = constraint(first, second, child);
    }
    return c;
  }

  private static Constraint constraint(Expression shape, Expression polygon, LogicalPlan child) {
    Attribute[] box = box(shape);
    if (box == null) {
      Attribute[] lonLat = lonLat(shape, child);
      box = lonLat == null ? null : new Attribute[] {lonLat[0], lonLat[1], lonLat[0], lonLat[1]};
    }
    if (box == null) {
      return null;
    }
    Envelope envelope = envelope(polygon);
    return envelope == null ? null : new Constraint(box[0], box[1], box[2], box[3], envelope);
  }

  /**
   * The xmin, ymin, xmax, ymax columns of ST_PolygonFromEnvelope / ST_MakeEnvelope of four double columns, or null:
   * a box meets the polygon only where it meets the polygon's envelope.
   */
  private static Attribute[] box(Expression shape) {
    if (!BOXES.contains(shape.getClass().getName()) || shape.children().size() < 4
        || (shape.children().size() > 4 && !shape.getClass().getName().endsWith("ST_MakeEnvelope"))) {
      return null;
    }
    Attribute[] box = new Attribute[4];
    for (int i = 0; i < 4; i++) {
      Expression c = shape.children().apply(i);
      if (!isDoubleColumn(c)) {
        return null;
      }
      box[i] = (Attribute) c;
    }
    return box;
  }

  /** The lon and lat columns of ST_Point(lon, lat), or of a point geometry column, or null. */
  private static Attribute[] lonLat(Expression point, LogicalPlan child) {
    if (POINTS.contains(point.getClass().getName()) && point.children().size() >= 2) {
      Expression lon = point.children().apply(0);
      Expression lat = point.children().apply(1);
      if (isDoubleColumn(lon) && isDoubleColumn(lat) && (point.children().size() == 2 || isZ(point))) {
        return new Attribute[] {(Attribute) lon, (Attribute) lat};
      }
      return null;
    }
    if (point instanceof AttributeReference geometry && geometry.metadata().contains(POINT_OF)) {
      String[] names = geometry.metadata().getString(POINT_OF).split(",");
      LogicalPlan source = leafProducing(child, geometry);
      // only a scan vouches for the metadata: a file written from it keeps the metadata, not the guarantee
      if (!(source instanceof DataSourceV2Relation relation) || !(relation.table() instanceof PointGeometryTable)) {
        return null;
      }
      // lon/lat of the geometry's own scan (never a same-named column of another input), still visible here
      Attribute lon = find(source, names[0]);
      Attribute lat = find(source, names[1]);
      return lon != null && lat != null && child.outputSet().contains(lon) && child.outputSet().contains(lat)
          ? new Attribute[] {lon, lat}
          : null;
    }
    return null;
  }

  /** ST_MakePoint(x, y, z): z does not move the point in lon/lat. */
  private static boolean isZ(Expression point) {
    return point.getClass().getName().endsWith("ST_MakePoint") && point.children().size() == 3;
  }

  private static boolean isDoubleColumn(Expression e) {
    return e instanceof AttributeReference && e.dataType().equals(DataTypes.DoubleType);
  }

  /** The leaf (the scan) whose output has this attribute, or null. */
  private static LogicalPlan leafProducing(LogicalPlan plan, Attribute attribute) {
    if (plan.children().isEmpty()) {
      return plan.outputSet().contains(attribute) ? plan : null;
    }
    Iterator<LogicalPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      LogicalPlan found = leafProducing(children.next(), attribute);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** A double column of a plan's output by name. */
  private static Attribute find(LogicalPlan plan, String name) {
    Iterator<Attribute> it = plan.output().iterator();
    while (it.hasNext()) {
      Attribute a = it.next();
      if (a.name().equals(name) && a.dataType().equals(DataTypes.DoubleType)) {
        return a;
      }
    }
    return null;
  }

  /** The envelope of a constant geometry, or null when it is not constant or cannot be evaluated here. */
  private static Envelope envelope(Expression polygon) {
    if (!(polygon.dataType() instanceof UserDefinedType<?> type) || !polygon.references().isEmpty()
        || !polygon.deterministic() || SubqueryExpression.hasSubquery(polygon)) {
      return null;
    }
    try {
      Object value = polygon.eval(null);
      if (value == null || !(type.deserialize(value) instanceof Geometry geometry) || geometry.isEmpty()) {
        return null;
      }
      return geometry.getEnvelopeInternal();
    } catch (RuntimeException e) {
      return null; // Spark evaluates it again when running the query, and reports the error there
    }
  }

  private static void split(Expression e, List<Expression> out) {
    if (e instanceof And and) {
      split(and.left(), out);
      split(and.right(), out);
    } else {
      out.add(e);
    }
  }

  /** Whether a conjunct already bounds the column at least as tightly. */
  private static boolean implied(Expression bound, List<Expression> conjuncts) {
    Bound wanted = Bound.of(bound);
    for (Expression c : conjuncts) {
      Bound have = Bound.of(c);
      if (have != null && have.lower == wanted.lower && have.column.semanticEquals(wanted.column)
          && (wanted.lower ? have.value >= wanted.value : have.value <= wanted.value)) {
        return true;
      }
    }
    return false;
  }

  /** A box of columns (a point is a box with min = max) that must meet the envelope. */
  private record Constraint(Attribute minX, Attribute minY, Attribute maxX, Attribute maxY, Envelope envelope) {
    List<Expression> bounds() {
      List<Expression> bounds = new ArrayList<>();
      // a bound at or beyond the valid range says nothing about a photon: not added
      if (envelope.getMinX() > -180) bounds.add(new GreaterThanOrEqual(maxX, literal(envelope.getMinX())));
      if (envelope.getMaxX() < 180) bounds.add(new LessThanOrEqual(minX, literal(envelope.getMaxX())));
      if (envelope.getMinY() > -90) bounds.add(new GreaterThanOrEqual(maxY, literal(envelope.getMinY())));
      if (envelope.getMaxY() < 90) bounds.add(new LessThanOrEqual(minY, literal(envelope.getMaxY())));
      return bounds;
    }

    private static Expression literal(double v) {
      return Literal.create(v, DataTypes.DoubleType);
    }
  }

  /** column >= value (lower) or column <= value, from a comparison of a column with a double literal. */
  private record Bound(Expression column, boolean lower, double value) {
    static Bound of(Expression e) {
      if (e instanceof GreaterThanOrEqual c) return of(c.left(), c.right(), true);
      if (e instanceof GreaterThan c) return of(c.left(), c.right(), true);
      if (e instanceof LessThanOrEqual c) return of(c.left(), c.right(), false);
      if (e instanceof LessThan c) return of(c.left(), c.right(), false);
      return null;
    }

    private static Bound of(Expression left, Expression right, boolean lowerWhenColumnLeft) {
      if (left instanceof Attribute && right instanceof Literal l && l.value() instanceof Double v) {
        return new Bound(left, lowerWhenColumnLeft, v);
      }
      if (right instanceof Attribute && left instanceof Literal l && l.value() instanceof Double v) {
        return new Bound(right, !lowerWhenColumnLeft, v);
      }
      return null;
    }
  }
}
