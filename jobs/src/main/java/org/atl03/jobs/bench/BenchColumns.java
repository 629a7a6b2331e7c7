package org.atl03.jobs.bench;

import java.util.List;

/** The photon columns the benchmarks read, filter and sum or checksum: the same in every command, so they compare. */
public final class BenchColumns {

  public static final List<String> SCANNED = List.of("lat_ph", "lon_ph", "h_ph", "delta_time", "signal_conf_ph");

  private BenchColumns() {}
}
