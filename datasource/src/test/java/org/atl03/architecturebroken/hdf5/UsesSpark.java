package org.atl03.architecturebroken.hdf5;

/** Breaks "no Spark below the spark packages": a format naming a Spark type. */
public class UsesSpark {
  public org.apache.spark.sql.types.DataType type;
}
