package org.atl03.jobs.bench.matrix;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the matrix: every (query, reader, format, storage) cell of Q1–Q5 on all granules in the run's session, then
 * Q6's (granule count, master) cells, one session per master. A cell that does not apply or cannot run here is
 * recorded with its reason; a cell that throws is recorded as failed (and fails the run). Prints progress per cell.
 */
final class MatrixRun {

  private final BenchConfig config;
  private final Map<String, BenchReader> readers;
  private final BenchInputs inputs;
  private final QueryParameters parameters;
  private final PrintStream out;
  private final List<BenchStorage> storages;

  MatrixRun(BenchConfig config, Map<String, BenchReader> readers, BenchInputs inputs, QueryParameters parameters,
      List<BenchStorage> storages, PrintStream out) {
    this.storages = storages;
    this.config = config;
    this.readers = readers;
    this.inputs = inputs;
    this.parameters = parameters;
    this.out = out;
    config.readers().forEach(r -> BenchReaders.require(readers, r));
    config.scaling().readers().forEach(r -> BenchReaders.require(readers, r));
  }

  /** Every cell of the run, in order: Q1–Q5 by query, reader, format, storage; then Q6 by master and count. */
  List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (BenchQuery query : config.queries()) {
      if (query == BenchQuery.Q6) {
        continue;
      }
      for (String reader : config.readers()) {
        for (BenchFormat format : config.formats()) {
          for (BenchStorage storage : storages) {
            if (!storage.isLocal() && !config.remoteStorageQueries().contains(query)) {
              continue; // remote storages measure only the config's remote_storage_queries
            }
            cells.add(new Cell(query, reader, format, storage, inputs.granules().size(), config.master()));
          }
        }
      }
    }
    if (config.queries().contains(BenchQuery.Q6)) {
      for (String master : config.scaling().masters()) {
        for (int count : config.scaling().granuleCounts()) {
          for (String reader : config.scaling().readers()) {
            for (BenchFormat format : config.scaling().formats()) {
              // scaling is measured on the first storage (local disk in the shipped configs)
              cells.add(new Cell(BenchQuery.Q6, reader, format, storages.get(0), count, master));
            }
          }
        }
      }
    }
    return cells;
  }

  /**
   * Runs every cell. {@code sessions} gives the session for a master (starting or restarting it); cells of
   * readers without Spark get none.
   */
  List<CellResult> run(Function<String, SparkSession> sessions) {
    List<Cell> cells = cells();
    List<CellResult> results = new ArrayList<>();
    int i = 0;
    for (Cell cell : cells) {
      i++;
      CellResult result = runCell(cell, sessions);
      results.add(result);
      if (result.status() != CellResult.Status.NOT_APPLICABLE) { // n/a cells are many and instant: counted only
        out.printf(Locale.ROOT, "[%d/%d] %-58s %s%n", i, cells.size(), cell.id(), summary(result));
      }
    }
    return results;
  }

  private CellResult runCell(Cell cell, Function<String, SparkSession> sessions) {
    BenchReader reader = readers.get(cell.reader());
    String notApplicable = notApplicable(cell, reader);
    if (notApplicable != null) {
      return CellResult.notApplicable(cell, notApplicable);
    }
    String cannotRun = reader.cannotRun();
    if (cannotRun != null) {
      return CellResult.couldNotRun(cell, cannotRun);
    }
    try {
      SparkSession session = reader.needsSpark() ? sessions.apply(cell.master()) : null;
      CellContext context = new CellContext(cell, config.scaling().query(), session, cell.storage().hadoopConf(),
          inputs.paths(cell.format(), cell.granules()), parameters, config.repetitionsOf(cell.reader()),
          config.dropCaches());
      return CellResult.ok(cell, reader.run(context));
    } catch (CannotRunException e) {
      return CellResult.couldNotRun(cell, e.getMessage());
    } catch (Exception | LinkageError e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return CellResult.failed(cell, message.lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse(message));
    }
  }

  private String notApplicable(Cell cell, BenchReader reader) {
    String reason = reader.notApplicable(cell.query(), cell.format());
    if (reason != null) {
      return reason;
    }
    reason = cell.storage().notApplicable(cell.format(), reader);
    if (reason != null) {
      return reason;
    }
    if (cell.query() == BenchQuery.Q6) {
      if (!cell.format().perGranule()) {
        return cell.format().key() + " is one dataset of every granule: a granule subset would be a filter";
      }
      if (cell.granules() > inputs.granules().size()) {
        return "the run has " + inputs.granules().size() + " granule(s), not " + cell.granules();
      }
    }
    return null;
  }

  private static String summary(CellResult r) {
    if (r.status() != CellResult.Status.OK) {
      String reason = r.reason().lines().findFirst().orElse("");
      return r.status().label + ": " + (reason.length() > 90 ? reason.substring(0, 90) + "…" : reason);
    }
    CellResult.Measured m = r.measured();
    return String.format(Locale.ROOT, "%.3f s median (cold %.3f s), %,d photons", m.timings().median(),
        m.coldSeconds(), m.result().photons());
  }
}
