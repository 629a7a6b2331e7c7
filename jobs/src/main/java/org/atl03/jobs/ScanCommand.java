package org.atl03.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = "Per-beam photon counts and mean h_ph of ATL03 granules (files, directories or globs).")
final class ScanCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "GRANULES", description = "HDF5 granules, directories or globs.")
  List<String> granules;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    try (SparkSession session = spark.session("atl03 scan")) {
      return BeamSummaries.scanAndPrint(session, granules, System.out);
    }
  }
}
