package org.atl03.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.atl03.datasource.io.InputFiles;
import org.atl03.datasource.kerchunk.RefsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert ATL03 granules to other access formats, one output per granule, written atomically.",
      "refs: kerchunk references (spec v1, Zarr v2 metadata) built from the chunk index in seconds."
    })
final class ConvertCommand implements Callable<Integer> {

  /** Output formats; later issues add more. */
  enum Target { REFS }

  @Option(names = "--to", required = true, split = ",", description = "Targets, comma list: ${COMPLETION-CANDIDATES}.")
  List<Target> to;

  @Option(names = "--in", required = true, split = ",", description = "Granules: files, directories or globs.")
  List<String> in;

  @Option(names = "--out", required = true, description = "Output directory.")
  String out;

  @Option(names = "--inline-threshold", defaultValue = "0",
      description = "refs: inline chunks smaller than this many stored bytes (default ${DEFAULT-VALUE}: none).")
  int inlineThreshold;

  @Option(names = "--relative-urls", description = "refs: name the granule relative to the refs file.")
  boolean relativeUrls;

  @Override
  public Integer call() throws Exception {
    Configuration conf = new Configuration();
    List<String> granules = InputFiles.expand(conf, in, List.of(".h5", ".hdf5", ".he5"));
    RefsWriter.Options options = RefsWriter.Options.DEFAULT.withInlineThreshold(inlineThreshold)
        .withRelativeUrls(relativeUrls);
    for (String granule : granules) {
      for (Target target : to) {
        if (target == Target.REFS) {
          String name = new Path(granule).getName().replaceFirst("\\.(h5|hdf5|he5)$", "") + ".json";
          String refs = new Path(new Path(out), name).toString();
          long start = System.nanoTime();
          RefsWriter.Summary s = RefsWriter.convert(granule, refs, conf, options);
          System.out.printf("%s -> %s: %d arrays, %d chunk refs (%d inlined), %.2f s%s%n", granule, refs,
              s.arrays(), s.chunkRefs(), s.inlined(), (System.nanoTime() - start) / 1e9,
              s.skipped().isEmpty() ? "" : ", skipped non-numeric " + s.skipped().size());
        }
      }
    }
    return 0;
  }
}
