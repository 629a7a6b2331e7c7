package org.atl03.jobs.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** The fuzz targets: the real fixtures that exist under {@code fixtures}, and a synthetic granule when given. */
public final class FuzzTargets {

  private FuzzTargets() {}

  public static List<FuzzTarget> of(Path fixtures, Path synthetic, Path workDir) throws IOException {
    Configuration conf = new Configuration();
    List<FuzzTarget> targets = new ArrayList<>();
    Path nasa = fixtures.resolve("atl03/ATL03_gt1l.h5");
    if (Files.isRegularFile(nasa)) {
      targets.add(new Hdf5Target(nasa, workDir.resolve("hdf5-nasa"), conf));
    }
    if (synthetic != null) {
      targets.add(new Hdf5Target(synthetic, workDir.resolve("hdf5-synthetic"), conf));
    }
    Path refs = fixtures.resolve("kerchunk/ATL03_gt1l.kerchunk.json");
    if (Files.isRegularFile(refs) && Files.isRegularFile(nasa)) {
      targets.add(new RefsTarget(refs, nasa, workDir.resolve("refs"), conf));
    }
    Path inline = fixtures.resolve("kerchunk/ATL03_gt1l.kerchunk.inline500.json");
    if (Files.isRegularFile(inline) && Files.isRegularFile(nasa)) {
      targets.add(new RefsTarget(inline, nasa, workDir.resolve("refs-inline"), conf));
    }
    for (String name : List.of("multizarr_example.json", "its_live_catalog.json", "single_file_kerchunk.json")) {
      Path p = fixtures.resolve("kerchunk").resolve(name);
      if (Files.isRegularFile(p)) {
        targets.add(new RefsTarget(p, null, workDir.resolve("refs-parse"), conf));
      }
    }
    for (String name : List.of("countries.fgb", "alldatatypes.fgb", "unknown_feature_count.fgb")) {
      Path p = fixtures.resolve("flatgeobuf").resolve(name);
      if (Files.isRegularFile(p)) {
        targets.add(new FgbTarget(p, workDir.resolve("fgb"), conf));
      }
    }
    return targets;
  }
}
