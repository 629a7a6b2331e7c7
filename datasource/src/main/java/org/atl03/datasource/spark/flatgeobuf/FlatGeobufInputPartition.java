package org.atl03.datasource.spark.flatgeobuf;

import org.apache.spark.sql.connector.read.InputPartition;
import org.atl03.datasource.flatgeobuf.FgbHeader;

/**
 * Features {@code [fromItem, toItem)} of one file (toItem = -1 when the count is unknown). Without a box they are
 * the bytes {@code [start, end)}, read in file order; with a box and an index, the task searches the index below
 * those leaves; with a box and no index it reads the bytes and keeps the features in the box.
 */
record FlatGeobufInputPartition(
    String location, FgbHeader header, long fromItem, long toItem, long start, long end, double[] box)
    implements InputPartition {}
