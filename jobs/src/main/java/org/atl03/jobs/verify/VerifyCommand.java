package org.atl03.jobs.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.io.HadoopSettings;
import org.atl03.datasource.io.InputFiles;
import org.atl03.jobs.SparkOptions;
import org.atl03.jobs.convert.Conversion;
import org.atl03.jobs.convert.ConvertCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check converted outputs against the original granules: for each query (full, bbox, time) and each format",
      "(read back by its convert target), the photon count and an order-independent checksum per column",
      "(sum of a 64-bit hash of granule, beam, photon_index and the value) must equal the original's, read by the",
      "atl03 source from the HDF5. Columns a format lacks are listed and skipped. Prints a table; on any",
      "difference prints the format, query, columns, counts and example photons, and exits 1."
    })
public final class VerifyCommand implements Callable<Integer> {

  @Option(names = "--in", required = true, split = ",", description = "Original granules: files, directories, globs.")
  List<String> in;

  @Option(names = "--converted", required = true, description = "The --out directory of convert.")
  String converted;

  @Option(names = "--formats", split = ",",
      description = "Convert targets to check (default: every registered target with outputs in --converted).")
  List<String> formats;

  @Option(names = "--queries", split = ",", defaultValue = "full,bbox,time",
      description = "Queries, comma list of full, bbox, time (default: ${DEFAULT-VALUE}).")
  List<String> queries;

  @Option(names = "--bbox", split = ",", paramLabel = "W,S,E,N",
      description = "The bbox query's box (default: derived, about --fraction of the photons).")
  List<Double> bbox;

  @Option(names = "--time", split = ",", paramLabel = "START,END",
      description = "The time query's delta_time window, seconds (default: derived, about --fraction of the photons).")
  List<Double> time;

  @Option(names = "--fraction", defaultValue = "0.01",
      description = "Photons a derived bbox or time window holds (default: ${DEFAULT-VALUE}).")
  double fraction;

  @Mixin SparkOptions spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (bbox != null && bbox.size() != 4 || time != null && time.size() != 2) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bbox takes W,S,E,N and --time START,END");
    }
    List<String> granules = InputFiles.expand(new Configuration(), in, List.of(".h5", ".hdf5", ".he5"));
    return spark.run("atl03 verify", session -> {
      allowReferencesTo(session, granules);
      Dataset<Row> original = session.read().format("atl03").load(granules.toArray(new String[0]));
      Map<String, Dataset<Row>> outputs = outputs(session, ConvertCommand.registered(), converted, formats);
      System.out.printf("verify %d granule(s) against %s in %s%n", granules.size(), outputs.keySet(), converted);
      Verifier.Outcome outcome = new Verifier(original, System.out).verify(outputs, queries(original));
      System.out.println(outcome.ok() ? "verify: every format agrees with the original"
          : "verify: FAILED, " + outcome.diffs().size() + " disagreement(s)");
      return outcome.ok() ? 0 : 1;
    });
  }

  private List<Verifier.Query> queries(Dataset<Row> original) {
    List<Verifier.Query> list = new ArrayList<>();
    for (String q : queries) {
      switch (q) {
        case "full" -> list.add(Verifier.full());
        case "bbox" -> {
          double[] b = bbox != null ? new double[] {bbox.get(0), bbox.get(1), bbox.get(2), bbox.get(3)}
              : Verifier.derivedBbox(original, fraction);
          list.add(Verifier.bbox(b[0], b[1], b[2], b[3]));
        }
        case "time" -> {
          double[] t = time != null ? new double[] {time.get(0), time.get(1)}
              : Verifier.derivedTimeWindow(original, fraction);
          list.add(Verifier.time(t[0], t[1]));
        }
        default -> throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown query " + q + "; known: full, bbox, time");
      }
    }
    return list;
  }

  /**
   * Lets kerchunk references written by convert (which name the original granules) read those granules wherever
   * they are: the user named them as the originals.
   */
  public static void allowReferencesTo(SparkSession session, List<String> granules) {
    session.sparkContext().hadoopConfiguration().set(HadoopSettings.REFS_ALLOWED_PREFIXES, String.join(",", granules));
  }

  /**
   * Each wanted target's photons read back from {@code dir}. Without an explicit list, a target counts as present
   * when its reader resolves a schema there (no outputs: the reader fails to find its files).
   */
  public static Map<String, Dataset<Row>> outputs(SparkSession session, Map<String, Conversion> targets, String dir,
      List<String> wanted) {
    Map<String, Dataset<Row>> outputs = new LinkedHashMap<>();
    for (String name : wanted == null ? List.copyOf(targets.keySet()) : wanted) {
      Conversion target = targets.get(name);
      if (target == null) {
        throw new IllegalArgumentException("unknown format " + name + "; known: " + targets.keySet());
      }
      try {
        Dataset<Row> photons = target.read(session, dir);
        // a reader may resolve a schema without any file (ours does): present means it returns a photon
        if (photons.isEmpty()) {
          throw new IllegalArgumentException("no photons");
        }
        outputs.put(name, photons);
      } catch (Exception e) { // Spark's AnalysisException (no such path) is checked, thrown from Scala
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (wanted != null) {
          throw new IllegalArgumentException("format " + name + ": cannot read its outputs in " + dir + ": "
              + e.getMessage(), e);
        }
      }
    }
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("no outputs of any of " + targets.keySet() + " in " + dir);
    }
    return outputs;
  }
}
