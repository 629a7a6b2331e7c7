package org.atl03.jobs.bench.matrix;

/**
 * One cell of the matrix: a query read by a reader from a format on a storage; Q6 cells also name the granule count
 * and the Spark master they scale over (0 and null elsewhere: all granules, the run's master).
 */
record Cell(BenchQuery query, String reader, BenchFormat format, BenchStorage storage, int granules, String master) {

  String id() {
    String id = query + " " + reader + " × " + format.key() + " (" + storage.key() + ")";
    // Q6 runs on the first storage only
    return query == BenchQuery.Q6 ? id + " " + granules + " granule(s) on " + master : id;
  }

  /** The cells whose results must be equal: the same query over the same photons. */
  String agreementGroup() {
    return query == BenchQuery.Q6 ? "Q6 over " + granules + " granule(s)" : query.name();
  }
}
