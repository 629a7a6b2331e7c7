package org.atl03.datasource.spark.flatgeobuf;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.atl03.datasource.flatgeobuf.FgbFeature;
import org.atl03.datasource.flatgeobuf.FgbHeader;
import org.wololo.flatgeobuf.generated.ColumnType;
import org.wololo.flatgeobuf.generated.GeometryType;

/**
 * The schema of a FlatGeobuf layer: its property columns (unsigned types widen: ubyte → smallint, ushort → int,
 * uint → bigint, ulong → decimal(20,0); json and datetime stay strings as stored, datetime being ISO 8601 text),
 * then {@code geometry} (ISO WKB, binary) and, for point layers, {@code x} and {@code y} (doubles).
 */
final class FlatGeobufColumns implements Serializable {

  static final String GEOMETRY = "geometry";
  static final String X = "x";
  static final String Y = "y";
  static final int SOURCE_GEOMETRY = -1;
  static final int SOURCE_X = -2;
  static final int SOURCE_Y = -3;

  private FlatGeobufColumns() {}

  static StructType schema(FgbHeader header, String location) {
    List<StructField> fields = new ArrayList<>();
    for (FgbHeader.FgbColumn c : header.columns()) {
      String lower = c.name().toLowerCase(Locale.ROOT);
      if (lower.equals(GEOMETRY) || (isPoint(header) && (lower.equals(X) || lower.equals(Y)))) {
        throw new IllegalArgumentException(location + ": property column '" + c.name()
            + "' has the name of a geometry column of format(\"flatgeobuf\")");
      }
      fields.add(DataTypes.createStructField(c.name(), type(c.type(), location, c.name()), true));
    }
    fields.add(DataTypes.createStructField(GEOMETRY, DataTypes.BinaryType, true));
    if (isPoint(header)) {
      fields.add(DataTypes.createStructField(X, DataTypes.DoubleType, true));
      fields.add(DataTypes.createStructField(Y, DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(fields);
  }

  static boolean isPoint(FgbHeader header) {
    return header.geometryType() == GeometryType.Point;
  }

  static DataType type(int columnType, String location, String name) {
    return switch (columnType) {
      case ColumnType.Byte -> DataTypes.ByteType;
      case ColumnType.UByte, ColumnType.Short -> DataTypes.ShortType;
      case ColumnType.Bool -> DataTypes.BooleanType;
      case ColumnType.UShort, ColumnType.Int -> DataTypes.IntegerType;
      case ColumnType.UInt, ColumnType.Long -> DataTypes.LongType;
      case ColumnType.ULong -> DataTypes.createDecimalType(20, 0);
      case ColumnType.Float -> DataTypes.FloatType;
      case ColumnType.Double -> DataTypes.DoubleType;
      case ColumnType.String, ColumnType.Json, ColumnType.DateTime -> DataTypes.StringType;
      case ColumnType.Binary -> DataTypes.BinaryType;
      default -> throw new IllegalArgumentException(
          location + ": column '" + name + "' has unknown FlatGeobuf type " + columnType);
    };
  }

  /** For each field of {@code required}: the property column index, or a SOURCE_* constant. */
  static int[] sources(FgbHeader header, StructType required) {
    int[] sources = new int[required.fields().length];
    for (int i = 0; i < sources.length; i++) {
      String name = required.fields()[i].name();
      sources[i] = switch (name) {
        case GEOMETRY -> SOURCE_GEOMETRY;
        case X -> SOURCE_X;
        case Y -> SOURCE_Y;
        default -> {
          int found = -1;
          for (int c = 0; c < header.columns().size(); c++) {
            if (header.columns().get(c).name().equals(name)) {
              found = c;
            }
          }
          if (found < 0) {
            throw new IllegalStateException("no column " + name);
          }
          yield found;
        }
      };
    }
    return sources;
  }

  /** The Spark internal value of property {@code column} of {@code f}, or null. */
  static Object value(FgbFeature f, int column, int type) {
    int pos = f.valueAt(column);
    if (pos < 0) {
      return null;
    }
    var b = f.buffer();
    return switch (type) {
      case ColumnType.Byte -> b.get(pos);
      case ColumnType.UByte -> (short) (b.get(pos) & 0xff);
      case ColumnType.Bool -> b.get(pos) != 0;
      case ColumnType.Short -> b.getShort(pos);
      case ColumnType.UShort -> b.getShort(pos) & 0xffff;
      case ColumnType.Int -> b.getInt(pos);
      case ColumnType.UInt -> b.getInt(pos) & 0xffffffffL;
      case ColumnType.Long -> b.getLong(pos);
      case ColumnType.ULong -> Decimal.apply(new BigDecimal(new BigInteger(Long.toUnsignedString(b.getLong(pos)))),
          20, 0);
      case ColumnType.Float -> b.getFloat(pos);
      case ColumnType.Double -> b.getDouble(pos);
      case ColumnType.String, ColumnType.Json, ColumnType.DateTime -> UTF8String.fromBytes(f.bytesAt(pos));
      case ColumnType.Binary -> f.bytesAt(pos);
      default -> throw new IllegalStateException("type " + type);
    };
  }
}
