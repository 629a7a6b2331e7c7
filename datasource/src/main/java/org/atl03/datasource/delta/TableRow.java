package org.atl03.datasource.delta;

import java.util.List;

/**
 * One row of a table as a reader hands it out, its fields looked up by name: the form the layers above read rows
 * in, whether the rows came from Parquet here or from Spark. Getters of a null field fail; ask {@link #isNull}. A
 * field the row was not read with fails every getter but {@link #has}: never mistaken for a null.
 */
public interface TableRow {

  /** Whether the row has the field (a projection may leave fields out). */
  boolean has(String field);

  boolean isNull(String field);

  /** The value of a column of a primitive type as the table's readers compare it (String, Integer, Long, Double…). */
  Object value(String field);

  String string(String field);

  int intValue(String field);

  long longValue(String field);

  double doubleValue(String field);

  boolean booleanValue(String field);

  byte[] bytes(String field);

  /** A timestamp, in milliseconds since the Unix epoch. */
  long timestampMillis(String field);

  /** A struct. */
  TableRow row(String field);

  /** An array of structs. */
  List<TableRow> rows(String field);

  /** An array of a primitive type, as {@link #value} gives each element. */
  List<Object> values(String field);
}
