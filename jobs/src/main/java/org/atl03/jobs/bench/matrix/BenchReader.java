package org.atl03.jobs.bench.matrix;

import java.util.Map;

/** A row of the matrix: a library that reads some formats and runs the queries on them. */
interface BenchReader {

  String name();

  /** What it is, for the report. */
  String description();

  /** Why it does not apply to this query on this format, or null when it does. */
  String notApplicable(BenchQuery query, BenchFormat format);

  /** Why it cannot run on this machine, or null when it can. */
  String cannotRun();

  boolean needsSpark();

  /** Runs every repetition of the cell and returns the timings, reads and the query's result. */
  CellResult.Measured run(CellContext context) throws Exception;

  /** Library versions, for the provenance (empty when it never ran). */
  Map<String, Object> versions();

  /** Ends what the reader keeps between cells (a Python peer's process); the run calls it when done. */
  default void close() {}
}
