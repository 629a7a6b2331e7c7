package org.atl03.jobs.bench.matrix;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What a reader needs to run a cell: the session (null for readers without Spark), the format's files (per-granule
 * formats: one per granule; GeoParquet and Delta: the dataset's directory), the query's parameters and how often to
 * measure.
 */
record CellContext(Cell cell, BenchQuery scalingQuery, SparkSession session, Configuration hadoopConf, List<Path> paths,
    QueryParameters parameters, int repetitions, boolean dropCaches) {

  /** The query to run: the cell's, or for Q6 the query it scales. */
  BenchQuery query() {
    return cell.query() == BenchQuery.Q6 ? scalingQuery : cell.query();
  }

  List<String> uris() {
    return paths.stream().map(p -> cell.storage().uri(p)).toList();
  }
}
