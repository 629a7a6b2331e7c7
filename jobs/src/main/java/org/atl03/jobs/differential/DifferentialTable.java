package org.atl03.jobs.differential;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One table of the differential test read two ways: {@code pushed}, straight from the source under test (each
 * query plans its own scan, with whatever pushdown the source and the optimizer do), and {@code reference}, every
 * row of the same read materialized once (a local checkpoint: Spark filters it itself, with no pushdown at all).
 *
 * @param inputs  what the table reads and how, for a reader to reproduce a case
 */
public record DifferentialTable(String name, String inputs, Dataset<Row> pushed, Dataset<Row> reference,
    ColumnCatalog catalog) {}
