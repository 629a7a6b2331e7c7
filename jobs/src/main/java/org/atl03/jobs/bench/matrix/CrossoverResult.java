package org.atl03.jobs.bench.matrix;

import static org.atl03.jobs.results.Numbers.mb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The crossover's measurements and what they say: per storage and single-process reader, the beam size from which
 * our source is faster ({@link #crossing}), whether every reader returned the same photons, and the report's
 * section and headline.
 */
record CrossoverResult(BenchConfig.Crossover config, String master, List<CrossoverRun.Point> points,
    Map<String, Object> versions) {

  /** Sums of the same float32 values in another order may differ in the last bits of a double, not more. */
  static final double SUM_TOLERANCE = 1e-9;

  enum Kind {
    /** Ours is faster at every size both measured. */
    FASTER_THROUGHOUT,
    /** Slower at one size, faster at the next and every larger one: the crossing is interpolated between them. */
    BETWEEN,
    /** Slower at every size; the lines through the two largest sizes cross further out. */
    EXTRAPOLATED,
    /** Slower at every size, and no cheaper per photon: no crossing ahead. */
    NOT_IN_SIGHT,
    /** Fewer than two sizes measured by both (one when ours is faster at it). */
    NOT_MEASURED
  }

  /**
   * Where ours overtakes a peer on one storage. {@code photons}: the estimated beam size (NaN unless BETWEEN or
   * EXTRAPOLATED); {@code below}/{@code above}: the measured sizes around it (BETWEEN), or the largest measured.
   */
  record Crossing(String storage, String peer, Kind kind, double photons, long below, long above, double oursAtLargest,
      double peerAtLargest) {

    String sentence() {
      return switch (kind) {
        case FASTER_THROUGHOUT -> String.format(Locale.ROOT, "faster than %s at every size measured, from %s photons",
            peer, human(below));
        case BETWEEN -> String.format(Locale.ROOT, "faster than %s from ~%s photons (measured: slower at %s, faster "
            + "from %s on)", peer, human(photons), human(below), human(above));
        case EXTRAPOLATED -> String.format(Locale.ROOT, "slower than %s up to the largest beam measured (%s photons: "
            + "%.3f s vs %.3f s); the lines through the two largest sizes cross at ~%s photons (extrapolated)", peer,
            human(above), oursAtLargest, peerAtLargest, human(photons));
        case NOT_IN_SIGHT -> String.format(Locale.ROOT, "slower than %s at every size measured (up to %s photons), and "
            + "no cheaper per photon: no crossover in sight", peer, human(above));
        case NOT_MEASURED -> "not compared with " + peer + ": too few sizes measured by both";
      };
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("storage", storage);
      json.put("peer", peer);
      json.put("kind", kind.name().toLowerCase(Locale.ROOT));
      json.put("photons", Double.isNaN(photons) ? null : Math.round(photons));
      json.put("sentence", sentence());
      return json;
    }
  }

  /**
   * Where ours overtakes a peer, from each one's {photons, median seconds} at the sizes both measured, in growing
   * order. Between two sizes the time ratio is interpolated on log-log axes; beyond the largest each reader's time
   * is extended along its line through its two largest sizes (fixed cost + cost per photon; ours flat if its time
   * fell between them).
   */
  static Crossing crossing(String storage, String peer, List<double[]> ours, List<double[]> theirs) {
    int n = ours.size();
    if (n != theirs.size()) {
      throw new IllegalArgumentException("ours and " + peer + " must be measured at the same sizes");
    }
    if (n == 0) {
      return new Crossing(storage, peer, Kind.NOT_MEASURED, Double.NaN, 0, 0, Double.NaN, Double.NaN);
    }
    int firstFaster = n; // from here on ours is faster at every size
    while (firstFaster > 0 && ours.get(firstFaster - 1)[1] < theirs.get(firstFaster - 1)[1]) {
      firstFaster--;
    }
    long largest = (long) ours.get(n - 1)[0];
    double oursLast = ours.get(n - 1)[1];
    double theirsLast = theirs.get(n - 1)[1];
    if (firstFaster == 0) {
      return new Crossing(storage, peer, Kind.FASTER_THROUGHOUT, Double.NaN, (long) ours.get(0)[0], largest, oursLast,
          theirsLast);
    }
    if (firstFaster < n) {
      double[] a = ours.get(firstFaster - 1);
      double[] b = ours.get(firstFaster);
      double ra = Math.log(a[1] / theirs.get(firstFaster - 1)[1]); // >= 0: slower
      double rb = Math.log(b[1] / theirs.get(firstFaster)[1]); // < 0: faster
      double at = Math.exp(Math.log(a[0]) + (Math.log(b[0]) - Math.log(a[0])) * ra / (ra - rb));
      return new Crossing(storage, peer, Kind.BETWEEN, at, (long) a[0], (long) b[0], oursLast, theirsLast);
    }
    if (n < 2) {
      return new Crossing(storage, peer, Kind.NOT_MEASURED, Double.NaN, largest, largest, oursLast, theirsLast);
    }
    double[] oursLine = line(ours.get(n - 2), ours.get(n - 1));
    if (oursLine[1] < 0) { // ours' time fell with size: noise over its fixed cost, taken as flat from the largest
      oursLine = new double[] {oursLast, 0};
    }
    double[] theirsLine = line(theirs.get(n - 2), theirs.get(n - 1));
    if (theirsLine[1] <= oursLine[1]) {
      return new Crossing(storage, peer, Kind.NOT_IN_SIGHT, Double.NaN, largest, largest, oursLast, theirsLast);
    }
    double at = (oursLine[0] - theirsLine[0]) / (theirsLine[1] - oursLine[1]);
    return new Crossing(storage, peer, Kind.EXTRAPOLATED, Math.max(at, largest), largest, largest, oursLast,
        theirsLast);
  }

  /** {intercept, slope} of the line through two {x, y} points. */
  private static double[] line(double[] p, double[] q) {
    double slope = (q[1] - p[1]) / (q[0] - p[0]);
    return new double[] {p[1] - slope * p[0], slope};
  }

  List<String> storages() {
    return points.stream().map(CrossoverRun.Point::storage).distinct().toList();
  }

  private List<String> peers() {
    return config.readers().stream().filter(r -> !r.equals(CrossoverRun.OURS)).toList();
  }

  /** Every (storage, peer) crossing, from the sizes where both readers were measured. */
  List<Crossing> crossings() {
    List<Crossing> out = new ArrayList<>();
    for (String storage : storages()) {
      for (String peer : peers()) {
        List<double[]> ours = new ArrayList<>();
        List<double[]> theirs = new ArrayList<>();
        for (long size : config.photonsPerStrongBeam()) {
          CrossoverRun.Point o = find(CrossoverRun.OURS, storage, size);
          CrossoverRun.Point t = find(peer, storage, size);
          if (o != null && t != null && o.measured() && t.measured()) {
            ours.add(new double[] {o.photons(), o.median()});
            theirs.add(new double[] {t.photons(), t.median()});
          }
        }
        out.add(crossing(storage, peer, ours, theirs));
      }
    }
    return out;
  }

  /** Sizes whose readers returned different photon counts or sums (beyond {@link #SUM_TOLERANCE}), described. */
  List<String> disagreements() {
    List<String> out = new ArrayList<>();
    Map<Long, List<CrossoverRun.Point>> bySize = new TreeMap<>();
    points.stream().filter(CrossoverRun.Point::measured)
        .forEach(p -> bySize.computeIfAbsent(p.photonsPerStrongBeam(), k -> new ArrayList<>()).add(p));
    bySize.forEach((size, ps) -> {
      CrossoverRun.Point first = ps.get(0);
      for (CrossoverRun.Point p : ps) {
        boolean sumsAgree = Math.abs(p.sum() - first.sum()) <= SUM_TOLERANCE * Math.max(1, Math.abs(first.sum()));
        if (p.photons() != first.photons() || !sumsAgree) {
          out.add(String.format(Locale.ROOT, "%,d photons per strong beam: %s (%s) read %,d photons summing to %s, "
              + "%s (%s) %,d summing to %s", size, first.reader(), first.storage(), first.photons(), first.sum(),
              p.reader(), p.storage(), p.photons(), p.sum()));
        }
      }
    });
    return out;
  }

  boolean anyFailed() {
    return points.stream().anyMatch(p -> p.status().equals(CrossoverRun.Point.FAILED));
  }

  /** The report's first lines: where ours overtakes each peer, per storage. */
  String headline() {
    StringBuilder md = new StringBuilder("**Where Spark pays off** (one beam's mean `h_ph` on one granule of growing "
        + "size, [details](#where-spark-pays-off)): `" + CrossoverRun.OURS + "` on " + master + " is");
    List<Crossing> crossings = crossings();
    for (String storage : storages()) {
      md.append("\n- ").append(storageTitle(storage)).append(": ").append(sentences(crossings, storage)).append(".");
    }
    return md.append("\n").toString();
  }

  /** What the crossings of one storage say, joined. */
  private static String sentences(List<Crossing> crossings, String storage) {
    return crossings.stream().filter(c -> c.storage().equals(storage)).map(Crossing::sentence)
        .collect(Collectors.joining("; "));
  }

  /** The report's section: what was measured, the times per size, the crossings, the agreement. */
  String markdown(boolean chart) {
    StringBuilder md = new StringBuilder("## Where Spark pays off\n\n");
    md.append(String.format(Locale.ROOT, "One beam's mean `h_ph` (count and sum of `%s`, the hackweek's query on one "
        + "granule) against the photons in that beam, on single synthetic v006 granules of %s photons per strong "
        + "beam (six beams, the mission's interleaved layout). `%s`: our source on Spark %s, the query planned and "
        + "run afresh each time (metadata reads included). `h5py`: `f[\"%s\"][...]` in a fresh python process per "
        + "run, open + read timed (interpreter start and imports not). `jhdf`: `Dataset.getData()` in this JVM (its "
        + "chunks decoded on the common fork-join pool, %d threads here). Remote storages are nginx behind a latency "
        + "proxy; h5py reads them through fsspec's HTTP file system with 8 MiB blocks (NSIDC's tuning), jhdf through "
        + "our cache of 8 MiB blocks, room for the whole file (jhdf reads its chunks out of order). %d warm-up(s), "
        + "then the median of %d runs; local files are in the page cache. A reader whose median passes %.0f s is not "
        + "run on larger granules.%n%n", CrossoverRun.DATASET, config.photonsPerStrongBeam().stream()
            .map(n -> String.format(Locale.ROOT, "%,d", n)).collect(Collectors.joining(", ")), CrossoverRun.OURS,
        master, CrossoverRun.DATASET, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1,
        config.warmups(), config.repetitions(), config.capSeconds()));
    List<Crossing> crossings = crossings();
    for (String storage : storages()) {
      md.append("- **").append(storageTitle(storage)).append("**: `").append(CrossoverRun.OURS).append("` is ")
          .append(sentences(crossings, storage)).append(".\n");
    }
    md.append("\n").append(table()).append("\nMedian seconds; photons in ").append(CrossoverRun.BEAM)
        .append(" as every reader counted them. ");
    List<String> disagreements = disagreements();
    md.append(disagreements.isEmpty()
        ? "**All readers agree** at every size: the same photon count and the same sum of `h_ph` (to 1e-9).\n"
        : "**Readers DISAGREE**:\n\n" + disagreements.stream().map(d -> "- " + d + "\n").collect(Collectors.joining()));
    List<CrossoverRun.Point> notMeasured = points.stream().filter(p -> !p.measured()).toList();
    if (!notMeasured.isEmpty()) {
      md.append("\nNot measured:\n\n");
      notMeasured.forEach(p -> md.append(String.format(Locale.ROOT, "- %s on %s, %,d photons per strong beam: %s: "
          + "%s%n", p.reader(), p.storage(), p.photonsPerStrongBeam(), p.status(), p.reason().replace('\n', ' '))));
    }
    if (chart) {
      md.append("\n![where Spark pays off](chart-crossover.png)\n");
    }
    return md.append("\n").toString();
  }

  private String table() {
    List<String> columns = new ArrayList<>();
    for (String storage : storages()) {
      for (String reader : config.readers()) {
        columns.add(reader + " " + storage);
      }
    }
    StringBuilder md = new StringBuilder("| photons in " + CrossoverRun.BEAM + " | granule | "
        + String.join(" | ", columns) + " |\n|" + " ---: |".repeat(columns.size() + 2) + "\n");
    for (long size : config.photonsPerStrongBeam()) {
      List<CrossoverRun.Point> row = points.stream().filter(p -> p.photonsPerStrongBeam() == size).toList();
      if (row.isEmpty()) {
        continue;
      }
      long photons = row.stream().filter(CrossoverRun.Point::measured).mapToLong(CrossoverRun.Point::photons)
          .findFirst().orElse(size);
      md.append(String.format(Locale.ROOT, "| %,d | %s |", photons, mb(row.get(0).granuleBytes())));
      for (String storage : storages()) {
        for (String reader : config.readers()) {
          CrossoverRun.Point p = find(reader, storage, size);
          md.append(' ').append(p == null ? "-" : p.measured() ? String.format(Locale.ROOT, "%.3f", p.median())
              : p.status()).append(" |");
        }
      }
      md.append('\n');
    }
    return md.toString();
  }

  private CrossoverRun.Point find(String reader, String storage, long size) {
    return points.stream().filter(p -> p.reader().equals(reader) && p.storage().equals(storage)
        && p.photonsPerStrongBeam() == size).findFirst().orElse(null);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("master", master);
    json.put("dataset", CrossoverRun.DATASET);
    json.put("versions", versions);
    json.put("crossings", crossings().stream().map(Crossing::toJson).toList());
    json.put("all_agree", disagreements().isEmpty());
    json.put("disagreements", disagreements());
    json.put("points", points.stream().map(CrossoverRun.Point::toJson).toList());
    return json;
  }

  static String storageTitle(String storage) {
    if (storage.equals("local")) {
      return "on local disk";
    }
    String[] parts = storage.split("@", 2);
    return parts.length == 2 ? "at " + parts[1].replace("ms", " ms") + " RTT (" + parts[0] + ")" : "over " + storage;
  }

  /** Human photon counts: 950, 12 k, 1.3 M. */
  static String human(double n) {
    if (n >= 1e6) {
      return String.format(Locale.ROOT, n >= 1e7 ? "%.0f M" : "%.1f M", n / 1e6);
    }
    if (n >= 1e3) {
      return String.format(Locale.ROOT, "%.0f k", n / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", n);
  }
}
