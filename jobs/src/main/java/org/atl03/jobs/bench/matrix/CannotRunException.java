package org.atl03.jobs.bench.matrix;

/**
 * A reader found at run time that its library cannot read this input at all (e.g. h5netcdf refusing NASA's
 * signal_conf_ph): the cell is marked "could not run" with this message instead of failing the run.
 */
final class CannotRunException extends Exception {
  CannotRunException(String message) {
    super(message);
  }
}
