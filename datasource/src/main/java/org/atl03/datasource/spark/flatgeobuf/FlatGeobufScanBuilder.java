package org.atl03.datasource.spark.flatgeobuf;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.flatgeobuf.FgbHeader;

/**
 * Column pruning (WKB is only built when {@code geometry} is selected) and, on point layers, comparisons of
 * {@code x} and {@code y} with numbers as a box for the index search (inclusive bounds; Spark still evaluates every
 * filter, so strict comparisons stay exact), intersected with the {@code bbox} option.
 */
final class FlatGeobufScanBuilder implements ScanBuilder, SupportsPushDownFilters, SupportsPushDownRequiredColumns {

  private final FlatGeobufOptions options;
  private final List<String> files;
  private final FgbHeader header;
  private StructType required;
  private double[] box;
  private final List<Filter> used = new ArrayList<>();

  FlatGeobufScanBuilder(FlatGeobufOptions options, List<String> files, FgbHeader header, StructType schema) {
    this.options = options;
    this.files = files;
    this.header = header;
    this.required = schema;
    this.box = options.bbox() == null ? null : options.bbox().clone();
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    if (FlatGeobufColumns.isPoint(header)) {
      for (Filter f : filters) {
        conjunct(f);
      }
    }
    return filters;
  }

  private void conjunct(Filter f) {
    if (f instanceof And and) {
      conjunct(and.left());
      conjunct(and.right());
      return;
    }
    String attribute;
    Object value;
    boolean lower;
    boolean upper;
    if (f instanceof EqualTo e) {
      attribute = e.attribute(); value = e.value(); lower = true; upper = true;
    } else if (f instanceof GreaterThan g) {
      attribute = g.attribute(); value = g.value(); lower = true; upper = false;
    } else if (f instanceof GreaterThanOrEqual g) {
      attribute = g.attribute(); value = g.value(); lower = true; upper = false;
    } else if (f instanceof LessThan l) {
      attribute = l.attribute(); value = l.value(); lower = false; upper = true;
    } else if (f instanceof LessThanOrEqual l) {
      attribute = l.attribute(); value = l.value(); lower = false; upper = true;
    } else {
      return;
    }
    int axis = attribute.equals(FlatGeobufColumns.X) ? 0 : attribute.equals(FlatGeobufColumns.Y) ? 1 : -1;
    if (axis < 0 || !(value instanceof Number n)) {
      return;
    }
    double v = n.doubleValue();
    if (Double.isNaN(v)) {
      return;
    }
    if (box == null) {
      box = new double[] {
        Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY
      };
    }
    if (lower) box[axis] = Math.max(box[axis], v);
    if (upper) box[axis + 2] = Math.min(box[axis + 2], v);
    used.add(f);
  }

  @Override
  public Filter[] pushedFilters() {
    return used.toArray(new Filter[0]);
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    this.required = requiredSchema;
  }

  @Override
  public Scan build() {
    return new FlatGeobufScan(options, files, header, required, box);
  }
}
