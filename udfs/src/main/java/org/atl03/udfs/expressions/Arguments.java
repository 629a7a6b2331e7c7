package org.atl03.udfs.expressions;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Option;

/**
 * One SQL function call's arguments, checked as the function is resolved: errors name the function and the
 * argument, and constants (a surface's name, a list of confidences) are read once here, not per row.
 */
public final class Arguments {

  private final String function;
  private final List<Expression> values;

  private Arguments(String function, List<Expression> values) {
    this.function = function;
    this.values = List.copyOf(values);
  }

  public static Arguments of(String function, List<Expression> values) {
    return new Arguments(function, values);
  }

  public String function() {
    return function;
  }

  public int size() {
    return values.size();
  }

  public Expression get(int i) {
    return values.get(i);
  }

  /** Fails unless there are between min and max arguments; {@code signature} shows the call. */
  public void expect(int min, int max, String signature) {
    if (values.size() < min || values.size() > max) {
      throw error(signature + " takes " + (min == max ? String.valueOf(min) : min + " to " + max)
          + " arguments, got " + values.size());
    }
  }

  public IllegalArgumentException error(String message) {
    return new IllegalArgumentException(function + ": " + message);
  }

  /** A number, as double. */
  public Expression asDouble(int i, String name) {
    Expression e = get(i);
    if (!(e.dataType() instanceof NumericType)) {
      throw error(name + " must be a number, got " + e.dataType().simpleString() + " (" + e.sql() + ")");
    }
    return cast(e, DataTypes.DoubleType);
  }

  /** An integer, as int. */
  public Expression asInt(int i, String name) {
    Expression e = get(i);
    if (!(e.dataType() instanceof IntegralType)) {
      throw error(name + " must be an integer, got " + e.dataType().simpleString() + " (" + e.sql() + ")");
    }
    return cast(e, DataTypes.IntegerType);
  }

  public Expression asString(int i, String name) {
    Expression e = get(i);
    if (!(e.dataType() instanceof StringType)) {
      throw error(name + " must be a string, got " + e.dataType().simpleString() + " (" + e.sql() + ")");
    }
    return e;
  }

  public Expression asTimestamp(int i, String name) {
    Expression e = get(i);
    DataType t = e.dataType();
    if (t.equals(DataTypes.TimestampType)) {
      return e;
    }
    if (t instanceof StringType || t.equals(DataTypes.DateType) || t.equals(DataTypes.TimestampNTZType)) {
      return cast(e, DataTypes.TimestampType);
    }
    throw error(name + " must be a timestamp, got " + t.simpleString() + " (" + e.sql() + ")");
  }

  /** An array of integers (signal_conf_ph), as array<tinyint>. */
  public Expression asByteArray(int i, String name) {
    Expression e = get(i);
    if (!(e.dataType() instanceof ArrayType a) || !(a.elementType() instanceof IntegralType)) {
      throw error(name + " must be an array of integers (signal_conf_ph), got " + e.dataType().simpleString()
          + " (" + e.sql() + ")");
    }
    return cast(e, DataTypes.createArrayType(DataTypes.ByteType, a.containsNull()));
  }

  public boolean isConstant(int i) {
    return get(i).foldable();
  }

  /**
   * A constant argument's values as text: one value, or each element of an array ({@code array(3, 4)}), as
   * users may give names ('high') or numbers (4) alike. Null values are an error.
   */
  public List<String> constantValues(int i, String name) {
    Expression e = get(i);
    if (!e.foldable()) {
      throw error(name + " must be a constant, got " + e.sql());
    }
    Object value = e.eval(null);
    if (value == null) {
      throw error(name + " is null");
    }
    List<String> out = new ArrayList<>();
    if (e.dataType() instanceof ArrayType a) {
      ArrayData array = (ArrayData) value;
      for (int k = 0; k < array.numElements(); k++) {
        if (array.isNullAt(k)) {
          throw error(name + " has a null element");
        }
        out.add(text(array.get(k, a.elementType()), a.elementType(), name));
      }
      if (out.isEmpty()) {
        throw error(name + " is an empty array");
      }
    } else {
      out.add(text(value, e.dataType(), name));
    }
    return out;
  }

  private String text(Object value, DataType type, String name) {
    if (value instanceof UTF8String s) {
      return s.toString();
    }
    if (type instanceof IntegralType && value instanceof Number n) {
      return Long.toString(n.longValue());
    }
    throw error(name + " must be a name or an integer, got " + type.simpleString());
  }

  static Expression cast(Expression e, DataType to) {
    return e.dataType().equals(to) ? e : new Cast(e, to, Option.empty());
  }
}
