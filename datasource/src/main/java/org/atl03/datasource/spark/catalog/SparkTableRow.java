package org.atl03.datasource.spark.catalog;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.atl03.datasource.delta.TableRow;

/** A Spark row as a {@link TableRow}. */
public final class SparkTableRow implements TableRow {
  private final Row row;

  public SparkTableRow(Row row) {
    this.row = row;
  }

  @Override
  public boolean has(String field) {
    return row.schema().getFieldIndex(field).isDefined();
  }

  @Override
  public boolean isNull(String field) {
    return row.isNullAt(row.fieldIndex(field)); // fails naming the field if the row lacks it
  }

  @Override
  public Object value(String field) {
    Object v = isNull(field) ? null : row.get(row.fieldIndex(field));
    return v instanceof Timestamp t ? t.getTime() : v;
  }

  @Override
  public String string(String field) {
    return row.getAs(field);
  }

  @Override
  public int intValue(String field) {
    return row.<Integer>getAs(field);
  }

  @Override
  public long longValue(String field) {
    return row.<Long>getAs(field);
  }

  @Override
  public double doubleValue(String field) {
    return row.<Double>getAs(field);
  }

  @Override
  public boolean booleanValue(String field) {
    return row.<Boolean>getAs(field);
  }

  @Override
  public byte[] bytes(String field) {
    return row.getAs(field);
  }

  @Override
  public long timestampMillis(String field) {
    return row.<Timestamp>getAs(field).getTime();
  }

  @Override
  public TableRow row(String field) {
    return new SparkTableRow(row.getStruct(row.fieldIndex(field)));
  }

  @Override
  public List<TableRow> rows(String field) {
    List<TableRow> out = new ArrayList<>();
    for (Row r : row.<Row>getList(row.fieldIndex(field))) {
      out.add(new SparkTableRow(r));
    }
    return out;
  }

  @Override
  public List<Object> values(String field) {
    return new ArrayList<>(row.getList(row.fieldIndex(field)));
  }
}
