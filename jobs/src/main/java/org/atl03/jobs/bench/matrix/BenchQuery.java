package org.atl03.jobs.bench.matrix;

import java.util.Arrays;
import java.util.List;
import org.atl03.jobs.bench.BenchColumns;

/**
 * The benchmark's queries. Each cell of a query computes the same result: the photon count, the mean h_ph and the
 * order-independent checksums ({@link org.atl03.jobs.verify.PhotonChecksums}) of the query's columns, keyed by
 * (granule, beam, photon_index), so that every cell can be checked against every other.
 */
enum BenchQuery {
  Q1("mean h_ph of gt1l over all granules (the hackweek's query)", List.of("h_ph")),
  Q2("full scan of lat_ph, lon_ph, h_ph, delta_time, signal_conf_ph, all beams", BenchColumns.SCANNED),
  Q3("bbox subset (~1 % of the track): lat_ph/lon_ph between", BenchColumns.SCANNED),
  Q4("time window (~1 % of the photons): delta_time between", BenchColumns.SCANNED),
  Q5("polygon: Sedona ST_Contains(polygon, ST_Point(lon_ph, lat_ph))", BenchColumns.SCANNED),
  Q6("scaling: a query's throughput vs granule count and executor cores", BenchColumns.SCANNED);

  private final String description;
  private final List<String> columns;

  BenchQuery(String description, List<String> columns) {
    this.description = description;
    this.columns = columns;
  }

  String description() {
    return description;
  }

  /** The columns the query reads and checksums. */
  List<String> columns() {
    return columns;
  }

  static BenchQuery named(String name) {
    return Arrays.stream(values()).filter(q -> q.name().equalsIgnoreCase(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown query " + name + "; known: "
            + Arrays.toString(values())));
  }
}
