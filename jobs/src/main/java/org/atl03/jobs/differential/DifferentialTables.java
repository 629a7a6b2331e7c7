package org.atl03.jobs.differential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.atl03.datasource.kerchunk.RefsWriter;
import org.atl03.datasource.spark.catalog.CatalogIndexer;
import org.atl03.jobs.convert.ConvertCommand;
import org.atl03.jobs.convert.ConvertSettings;
import org.atl03.jobs.convert.RefsConversion;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.python.BundledPython;

/**
 * The tables the differential test runs on: the real fixtures (NASA's subset as HDF5 and as kerchunk's own
 * references, the ATL03 of the ATL03/ATL08 pair), synthetic v006 granules (one across the antimeridian at 88° N,
 * one at mid-latitude, a copy of it with another ATLAS SDP epoch) with the geometry column, the same as v007, our
 * kerchunk references of both layouts, the v006 granules' FlatGeobuf conversion through
 * {@code format("flatgeobuf")}, and their photons as Parquet for the polygon envelope rule on a source not ours.
 */
public final class DifferentialTables {

  /** Seconds the copy's atlas_sdp_gps_epoch is moved by: its times differ from its delta_times by a day more. */
  static final double SHIFTED_EPOCH_SECONDS = -86_400.25;

  private DifferentialTables() {}

  public static List<DifferentialTable> standard(DifferentialSessions sessions, Path fixtures, Path work,
      long photonsPerStrongBeam, long seed, Consumer<String> log) throws Exception {
    List<DifferentialTable> tables = new ArrayList<>();
    Path nasa = fixtures.resolve("atl03/ATL03_gt1l.h5");
    if (Files.isRegularFile(nasa)) {
      tables.add(atl03(sessions, "nasa-subset", List.of(nasa.toString()), Map.of(), seed));
      Path refs = fixtures.resolve("kerchunk/ATL03_gt1l.kerchunk.json");
      if (Files.isRegularFile(refs)) {
        // kerchunk wrote the bare file name: it resolves against the fixture's directory
        tables.add(atl03(sessions, "nasa-subset-kerchunk", List.of(refs.toString()),
            Map.of("dataDir", nasa.getParent().toUri().toString()), seed));
      }
    } else {
      log.accept("differential: " + nasa + " absent, the real-data tables are skipped");
    }
    Path pair = fixtures.resolve("atl08/ATL03_clip_gt1r.h5");
    if (Files.isRegularFile(pair)) {
      tables.add(atl03(sessions, "atl08-pair-atl03", List.of(pair.toString()), Map.of(), seed));
    }

    List<Path> v006 = new ArrayList<>(Generator.generate(
        new GeneratorOptions(work.resolve("v006"), 2, photonsPerStrongBeam, seed, Layout.V006)));
    v006.add(shiftedEpoch(v006.get(1), work.resolve("v006-epoch")));
    List<String> v006Paths = v006.stream().map(Path::toString).toList();
    tables.add(atl03(sessions, "synthetic-v006", v006Paths, Map.of("geometry", "true"), seed));

    List<Path> v007 = Generator.generate(
        new GeneratorOptions(work.resolve("v007"), 2, photonsPerStrongBeam, seed + 1, Layout.V007));
    tables.add(atl03(sessions, "synthetic-v007", v007.stream().map(Path::toString).toList(), Map.of(), seed));

    List<String> refs = new ArrayList<>();
    for (List<Path> layout : List.of(v006, v007)) {
      Path dir = Files.createDirectories(work.resolve("refs").resolve(layout.get(0).getParent().getFileName()));
      for (Path granule : layout) {
        Path out = dir.resolve(granule.getFileName().toString().replaceFirst("\\.h5$", ".json"));
        RefsConversion.write(granule.toUri().toString(), out.toUri().toString(), new Configuration(),
            RefsWriter.Options.DEFAULT.withInlineThreshold(200));
        refs.add(out.toString());
      }
    }
    tables.add(atl03(sessions, "synthetic-kerchunk", refs,
        Map.of("allowedPrefixes", work.toUri().toString()), seed)); // the granules are beside, not under, the refs

    Path fgb = work.resolve("converted");
    ConvertCommand.registered().get("flatgeobuf").convert(v006Paths, fgb.toString(),
        new ConvertSettings(new Configuration(), 0, false), sessions.reference());
    tables.add(flatgeobuf(sessions, fgb.resolve("flatgeobuf").toString() + "/*.fgb", seed));

    tables.add(parquet(sessions, v006Paths, work.resolve("parquet"), seed));

    List<String> catalogued = new ArrayList<>();
    for (Path real : List.of(nasa, pair)) {
      if (Files.isRegularFile(real)) {
        catalogued.add(real.toString());
      }
    }
    catalogued.addAll(v006Paths);
    v007.forEach(p -> catalogued.add(p.toString()));
    tables.add(catalog(sessions, catalogued, work.resolve("catalog"), fixtures, seed));
    return tables;
  }

  /**
   * The granules indexed into a catalog and read through it, against the same granules read from their files:
   * planning from the catalog (windows of 10 000 photons, so that several per beam are pruned) must return the
   * same rows.
   */
  public static DifferentialTable catalog(DifferentialSessions sessions, List<String> granules, Path catalog,
      Path fixtures, long seed) throws IOException {
    CatalogIndexer.Report report = CatalogIndexer.index(sessions.reference(), granules, catalog.toString(),
        new CatalogIndexer.Options(List.of(), 10_000, false), sessions.reference().sessionState().newHadoopConf());
    if (!report.skipped().isEmpty()) {
      throw new IllegalStateException("granules not indexed: " + report.skipped());
    }
    String allowed = catalog.getParent().toUri() + "," + fixtures.toAbsolutePath().toUri();
    Dataset<Row> pushed = sessions.pushed().read().format("atl03").option("catalog", catalog.toString())
        .option("allowedPrefixes", allowed).load();
    String[] sorted = granules.stream().sorted().toArray(String[]::new);
    Dataset<Row> reference = sessions.reference().read().format("atl03").load(sorted).localCheckpoint(true);
    return new DifferentialTable("catalog", "format(\"atl03\") option catalog over " + granules.size()
        + " granules (real and synthetic), against their files", pushed, reference,
        ColumnCatalog.of(reference, "lon_ph", "lat_ph", null, seed));
  }

  /** {@code format("atl03")} over granules or references, with read options. */
  public static DifferentialTable atl03(DifferentialSessions sessions, String name, List<String> paths,
      Map<String, String> options, long seed) {
    String[] files = paths.toArray(String[]::new);
    Dataset<Row> pushed = sessions.pushed().read().format("atl03").options(options).load(files);
    Dataset<Row> reference = sessions.reference().read().format("atl03").options(options).load(files)
        .localCheckpoint(true);
    String geometry = options.containsKey("geometry") ? "geometry" : null;
    return new DifferentialTable(name, "format(\"atl03\") options " + options + " of " + paths, pushed, reference,
        ColumnCatalog.of(reference, "lon_ph", "lat_ph", geometry, seed));
  }

  /** {@code format("flatgeobuf")} of point files: x/y pushdown into the packed R-tree search. */
  public static DifferentialTable flatgeobuf(DifferentialSessions sessions, String glob, long seed) {
    Dataset<Row> pushed = sessions.pushed().read().format("flatgeobuf").load(glob).drop("geometry");
    Dataset<Row> reference = sessions.reference().read().format("flatgeobuf").load(glob).drop("geometry")
        .localCheckpoint(true);
    return new DifferentialTable("flatgeobuf", "format(\"flatgeobuf\") of " + glob + " (geometry dropped)", pushed,
        reference, ColumnCatalog.of(reference, "x", "y", null, seed));
  }

  /**
   * The granules' photons as Parquet in small row groups, read with Spark's own Parquet source: the polygon
   * envelope rule's bounds meet Spark's row-group pruning there.
   */
  public static DifferentialTable parquet(DifferentialSessions sessions, List<String> granules, Path dir, long seed)
      throws IOException {
    SparkSession reference = sessions.reference();
    reference.read().format("atl03").load(granules.toArray(String[]::new))
        .write().mode("overwrite").option("parquet.block.size", 256 * 1024).parquet(dir.toString());
    Dataset<Row> pushed = sessions.pushed().read().parquet(dir.toString());
    Dataset<Row> copy = reference.read().parquet(dir.toString()).localCheckpoint(true);
    return new DifferentialTable("parquet-envelope", "Spark's parquet of " + dir + " (" + granules.size()
        + " granules' photons, 256 KiB row groups)", pushed, copy, ColumnCatalog.of(copy, "lon_ph", "lat_ph", null,
        seed));
  }

  /** A copy of a granule with atlas_sdp_gps_epoch moved by {@link #SHIFTED_EPOCH_SECONDS}. */
  static Path shiftedEpoch(Path granule, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path script = BundledPython.extract(dir, "shift_sdp_epoch.py");
    Path out = dir.resolve(granule.getFileName().toString().replaceFirst("\\.h5$", "_epoch.h5"));
    Process p = new ProcessBuilder(BundledPython.python(), script.toString(), granule.toString(), out.toString(),
        Double.toString(SHIFTED_EPOCH_SECONDS)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("shift_sdp_epoch.py failed on " + granule + ": " + output);
    }
    return out;
  }
}
