package org.atl03.jobs.catalog;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.atl03.catalog.GranuleSurvey;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.jobs.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Catalogs ATL03 granules in a Delta table: each granule's facts and bounds, and its beams cut into planning",
      "windows with their bounds and chunk manifests, so that format(\"atl03\").option(\"catalog\", DIR) plans",
      "queries without opening a granule. Run it again to add new granules and replace changed ones (one commit)."
    })
public final class IndexCommand implements Callable<Integer> {

  @Option(names = "--in", arity = "1..*", required = true, paramLabel = "GRANULES",
      description = "HDF5 granules, directories or globs, on any Hadoop file system.")
  List<String> inputs;

  @Option(names = "--catalog", required = true, paramLabel = "DIR", description = "The catalog's directory.")
  String catalog;

  @Option(names = "--datasets", split = ",", paramLabel = "NAME",
      description = "Datasets to keep chunk manifests of beyond the default columns' (heights/NAME, "
          + "geolocation/NAME or NAME).")
  List<String> datasets = List.of();

  @Option(names = "--window-photons", paramLabel = "N",
      description = "Photons per planning window, rounded to whole chunks (default: ${DEFAULT-VALUE}).")
  long windowPhotons = GranuleSurvey.DEFAULT_WINDOW_PHOTONS;

  @Option(names = "--prune", description = "Remove the catalogued granules the inputs no longer list.")
  boolean prune;

  @Option(names = "--on-corrupt-granule", paramLabel = "fail|skip",
      description = "A granule that is not ATL03 or cannot be read is recorded as skipped with the reason either "
          + "way; fail (default) exits non-zero when there is one, skip exits 0.")
  String onCorruptGranule = "fail";

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    String mode = onCorruptGranule.trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("fail") && !mode.equals("skip")) {
      throw new IllegalArgumentException("--on-corrupt-granule must be fail or skip, got " + onCorruptGranule);
    }
    return spark.run("atl03 index", session -> run(session, mode.equals("skip"), System.out));
  }

  int run(SparkSession session, boolean skipCorrupt, PrintStream out) {
    long started = System.nanoTime();
    CatalogIndexer.Report report;
    try {
      report = CatalogIndexer.index(session, inputs, catalog,
          new CatalogIndexer.Options(datasets, windowPhotons, prune), session.sessionState().newHadoopConf());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(Locale.ROOT, "catalog %s: %d granules listed (%.1f MB): %d added, %d replaced, %d removed, %d "
        + "unchanged; %d windows written; %s in %.1f s%n", catalog, report.listed(), report.listedBytes() / 1e6,
        report.added(), report.replaced(), report.removed(), report.unchanged(), report.windows(),
        report.committed() ? "one commit" : "nothing to commit", seconds);
    for (String skipped : report.skipped()) {
      out.println("  skipped " + skipped);
    }
    if (!report.skipped().isEmpty() && !skipCorrupt) {
      System.err.println("atl03 index: " + report.skipped().size() + " granule(s) could not be indexed (recorded in "
          + "the catalog as skipped, listed above); --on-corrupt-granule skip accepts that");
      return 1;
    }
    return 0;
  }
}
