package org.atl03.jobs.differential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The columns a predicate can be made of, with values taken from the table itself: a random sample of rows, and
 * the exact extremes of every orderable column (per beam where the table has one), so that generated bounds fall
 * on photons, between them and exactly on the first and last; and the sampled rows' (lon, lat) points.
 */
record ColumnCatalog(List<Col> columns, String lon, String lat, String geometry, List<double[]> points) {

  enum Kind { DOUBLE, FLOAT, INT, LONG, BYTE, STRING, TIMESTAMP, BYTE_ARRAY }

  /** A column, its kind, and values seen in it (timestamps as Spark's microseconds; NULLs left out). */
  record Col(String name, Kind kind, List<Object> samples) {}

  private static final int SAMPLE_ROWS = 400;

  static ColumnCatalog of(Dataset<Row> table, String lon, String lat, String geometry, long seed) {
    long rows = Math.max(1, table.count());
    double fraction = Math.min(1.0, 4.0 * SAMPLE_ROWS / rows);
    List<Row> sample = table.sample(false, fraction, seed).limit(SAMPLE_ROWS).collectAsList();
    List<String> names = Arrays.asList(table.columns());
    List<StructField> fields = Arrays.stream(table.schema().fields())
        .filter(f -> kind(f.dataType()) != null && !f.name().equals(geometry)).toList();
    List<String> orderable = fields.stream().filter(f -> kind(f.dataType()) != Kind.BYTE_ARRAY)
        .map(StructField::name).toList();
    List<Row> extremes = extremes(table, orderable, names.contains("beam") ? "beam" : null);
    List<Col> columns = new ArrayList<>();
    for (StructField field : fields) {
      Set<Object> values = new LinkedHashSet<>();
      int index = names.indexOf(field.name());
      for (Row row : sample) {
        add(values, row.get(index));
      }
      int at = orderable.indexOf(field.name());
      for (Row row : at < 0 ? List.<Row>of() : extremes) {
        add(values, row.get(2 * at));
        add(values, row.get(2 * at + 1));
      }
      columns.add(new Col(field.name(), kind(field.dataType()), List.copyOf(values)));
    }
    List<double[]> points = new ArrayList<>();
    if (lon != null) {
      for (Row row : sample) {
        Object x = row.get(names.indexOf(lon));
        Object y = row.get(names.indexOf(lat));
        if (x instanceof Number a && y instanceof Number b) {
          points.add(new double[] {a.doubleValue(), b.doubleValue()});
        }
      }
    }
    return new ColumnCatalog(List.copyOf(columns), lon, lat, geometry, List.copyOf(points));
  }

  Col column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  List<Col> ofKind(Kind... kinds) {
    List<Kind> wanted = Arrays.asList(kinds);
    return columns.stream().filter(c -> wanted.contains(c.kind())).toList();
  }

  /** min and max of every column, in one query: per beam when the table has one (columns 2i and 2i+1). */
  private static List<Row> extremes(Dataset<Row> table, List<String> columns, String groupBy) {
    List<Column> aggregates = new ArrayList<>();
    for (String column : columns) {
      aggregates.add(functions.min(functions.col(column)));
      aggregates.add(functions.max(functions.col(column)));
    }
    Column first = aggregates.get(0);
    Column[] rest = aggregates.subList(1, aggregates.size()).toArray(Column[]::new);
    Dataset<Row> agg = groupBy == null ? table.agg(first, rest) : table.groupBy(groupBy).agg(first, rest).drop(groupBy);
    return agg.collectAsList();
  }

  private static void add(Set<Object> values, Object value) {
    if (value instanceof java.sql.Timestamp || value instanceof java.time.Instant) {
      values.add(DateTimeUtils.anyToMicros(value));
    } else if (value instanceof scala.collection.Seq<?> || value instanceof List<?>) {
      values.add(value.toString());
    } else if (value != null) {
      values.add(value);
    }
  }

  private static Kind kind(DataType type) {
    if (type.equals(DataTypes.DoubleType)) return Kind.DOUBLE;
    if (type.equals(DataTypes.FloatType)) return Kind.FLOAT;
    if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.ShortType)) return Kind.INT;
    if (type.equals(DataTypes.LongType)) return Kind.LONG;
    if (type.equals(DataTypes.ByteType)) return Kind.BYTE;
    if (type.equals(DataTypes.StringType)) return Kind.STRING;
    if (type.equals(DataTypes.TimestampType)) return Kind.TIMESTAMP;
    if (type instanceof ArrayType a && a.elementType().equals(DataTypes.ByteType)) return Kind.BYTE_ARRAY;
    return null;
  }
}
