package org.atl03.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Per-beam photon counts, segments with photons and mean h_ph of ATL03 granules (files, directories or",
      "globs, on any Hadoop file system), read by the atl03 Spark data source."
    })
final class ScanCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "GRANULES", description = "HDF5 granules, directories or globs.")
  List<String> granules;

  @Option(
      names = "--where",
      paramLabel = "SQL",
      description = "A filter on the photons, e.g. \"lat_ph between 60 and 61 and beam_strength = 'strong'\".")
  String where;

  @Option(
      names = "--on-corrupt-granule",
      paramLabel = "fail|skip",
      description = "fail (default): stop naming the unreadable granule; skip: leave it out and list it with the reason.")
  String onCorruptGranule = "fail";

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    return spark.run("atl03 scan", session -> BeamSummaries.scanAndPrint(session, granules, where,
        onCorruptGranule, System.out));
  }
}
