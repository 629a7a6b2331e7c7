package org.atl03.architecturebroken.spark;

/** Keeps every rule: Spark types belong here. */
public class Fine {
  public org.apache.spark.sql.types.DataType type;
}
