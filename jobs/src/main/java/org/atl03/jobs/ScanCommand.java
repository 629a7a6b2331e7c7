package org.atl03.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.atl03.udfs.Atl03Sql;
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
      names = "--polygon",
      paramLabel = "FILE",
      description = "Only photons inside the polygon of a WKT or GeoJSON file (lon/lat); its envelope prunes the scan.")
  String polygon;

  @Option(
      names = "--on-corrupt-granule",
      paramLabel = "fail|skip",
      description = "fail (default): stop naming the unreadable granule; skip: leave it out and list it with the reason.")
  String onCorruptGranule = "fail";

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    return spark.run("atl03 scan", session -> polygon == null
        ? BeamSummaries.scanAndPrint(session, granules, where, onCorruptGranule, System.out)
        : BeamSummaries.scanAndPrint(Atl03Sql.register(session), granules, withPolygon(), onCorruptGranule,
            System.out));
  }

  /** The --where filter and the polygon's point-in-polygon test. */
  String withPolygon() {
    String inside = "ST_Contains(atl03_polygon('" + polygon.replace("\\", "\\\\").replace("'", "\\'")
        + "'), ST_Point(lon_ph, lat_ph))";
    return where == null || where.isBlank() ? inside : "(" + where + ") AND " + inside;
  }
}
