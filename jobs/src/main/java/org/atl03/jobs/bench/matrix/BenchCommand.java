package org.atl03.jobs.bench.matrix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.atl03.jobs.Atl03;
import org.atl03.jobs.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** The benchmark matrix: queries × readers × formats × storage × repetitions, from a config in conf/. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "The seed's library x format matrix, measured, checked and reported: for every query of the config (Q1 mean",
      "h_ph of gt1l; Q2 full scan; Q3 bbox; Q4 time window; Q5 polygon; Q6 scaling over granules and cores), every",
      "reader (jhdf, atl03, sedona, delta, flatgeobuf, and the Python peers h5py, xarray-h5netcdf, xarray-zarr, fiona,",
      "geopandas when installed) on every format it reads (hdf5, hdf5-paged, hdf5-v007, refs, refs-paged, geoparquet,",
      "delta, flatgeobuf), with repetitions (the first cold). Granules: GRANULES, else synthetic ones as the config",
      "says (cached in WORK); formats converted into WORK/converted. Each cell's result (count + per-column",
      "checksums) must agree within its query, else the run fails naming the cells. Writes results.json, results.csv,",
      "report.md and charts to RESULTS/<date>-<label>/ and indexes the run in RESULTS/README.md."
    })
public class BenchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "GRANULES", description = "Granules (files, directories, globs).")
  List<String> granules = new ArrayList<>();

  @Option(names = "--work", defaultValue = "work/bench-matrix",
      description = "Generated granules and conversions go here (default: ${DEFAULT-VALUE}).")
  Path work;

  @Mixin MatrixOptions matrix;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand Atl03 atl03;

  @Override
  public Integer call() throws Exception {
    return BenchMatrix.run(atl03.root(), matrix, spark, spark.masterOr(spec, null), work, granules,
        spec.commandLine().getParseResult().originalArgs(), System.out);
  }
}
