package org.atl03.jobs.differential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.UserDefinedType;
import org.atl03.jobs.differential.ColumnCatalog.Kind;

/**
 * Runs seeded random queries on each table twice — pushed through the source, and on the reference copy — and
 * reports every case whose answers differ, with the SQL to reproduce it. A case is one predicate in one query
 * shape: the full row set (count and an order-independent hash of every column; every row itself when the
 * answer is small), an aggregate per beam, or a projection of a few columns (pruning meets filtering).
 */
public final class DifferentialRunner {

  /** Answers up to this many rows are compared row by row, beside the hash. */
  public static final long FULL_ROWS_UP_TO = 2_000;

  /** A case whose answers differ (or that failed on one side only). */
  public record Disagreement(String table, String inputs, long seed, int index, String sql, String pushed,
      String reference) {}

  /**
   * What one table ran: cases, how many the source's scan took filters for, rows in the reference answers, and the
   * cases that failed on both sides alike (SQL Spark rejects: counted, not compared).
   */
  public record TableRun(String table, int cases, int scansWithPushedFilters, long referenceRows, int failedAlike) {}

  public record Result(long seed, String zone, List<TableRun> tables, List<Disagreement> disagreements,
      long millis) {
    public int cases() {
      return tables.stream().mapToInt(TableRun::cases).sum();
    }

    public boolean ok() {
      return disagreements.isEmpty();
    }
  }

  private final DifferentialSessions sessions;
  private final Consumer<String> log;

  public DifferentialRunner(DifferentialSessions sessions, Consumer<String> log) {
    this.sessions = sessions;
    this.log = log;
  }

  public Result run(List<DifferentialTable> tables, int casesPerTable, long seed) {
    long start = System.nanoTime();
    List<TableRun> runs = new ArrayList<>();
    List<Disagreement> disagreements = new ArrayList<>();
    for (int t = 0; t < tables.size(); t++) {
      DifferentialTable table = tables.get(t);
      Random random = new Random(seed * 31 + t);
      PredicateGenerator predicates = new PredicateGenerator(table.catalog(), random, sessions.zone());
      int pushedScans = 0;
      long rows = 0;
      int failedAlike = 0;
      int before = disagreements.size();
      for (int i = 0; i < casesPerTable; i++) {
        String sql = query(table, predicates.predicate(), random);
        Outcome outcome = compare(table, sql);
        pushedScans += outcome.pushedFilters ? 1 : 0;
        rows += outcome.referenceRows;
        if (outcome.failedAlike && failedAlike++ < 3) {
          log.accept("failed on both sides, " + table.name() + " #" + i + ": " + sql + "\n  " + outcome.error);
        }
        if (outcome.disagreement != null) {
          disagreements.add(new Disagreement(table.name(), table.inputs(), seed, i, sql, outcome.disagreement[0],
              outcome.disagreement[1]));
          log.accept("DISAGREE " + table.name() + " #" + i + ": " + sql + "\n  pushed:    "
              + outcome.disagreement[0] + "\n  reference: " + outcome.disagreement[1]);
        }
      }
      runs.add(new TableRun(table.name(), casesPerTable, pushedScans, rows, failedAlike));
      log.accept(String.format(java.util.Locale.ROOT, "differential %-26s %5d cases, %5d with filters in the scan, "
          + "%,12d reference rows, %3d failed alike, %d disagreements", table.name(), casesPerTable, pushedScans,
          rows, failedAlike, disagreements.size() - before));
    }
    return new Result(seed, sessions.zone().getId(), List.copyOf(runs), List.copyOf(disagreements),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** A query over view {@code t}: a predicate in one of three shapes. */
  static String query(DifferentialTable table, String predicate, Random random) {
    List<String> columns = hashable(table.reference());
    int shape = random.nextInt(4);
    if (shape == 0 && table.catalog().column("beam") != null) {
      ColumnCatalog.Col c = pickOrderable(table.catalog(), random);
      return "SELECT beam, count(*) AS n, min(" + c.name() + ") AS low, max(" + c.name() + ") AS high FROM t WHERE "
          + predicate + " GROUP BY beam";
    }
    List<String> selected = columns;
    if (shape == 1) {
      List<String> shuffled = new ArrayList<>(columns);
      java.util.Collections.shuffle(shuffled, random);
      selected = shuffled.subList(0, 1 + random.nextInt(Math.min(4, shuffled.size())));
    }
    return "SELECT " + String.join(", ", selected) + " FROM t WHERE " + predicate;
  }

  private static ColumnCatalog.Col pickOrderable(ColumnCatalog catalog, Random random) {
    List<ColumnCatalog.Col> cols = catalog.ofKind(Kind.DOUBLE, Kind.FLOAT, Kind.LONG, Kind.INT, Kind.TIMESTAMP);
    return cols.get(random.nextInt(cols.size()));
  }

  /** Every column but user-defined types (a Sedona geometry is compared through its lon/lat). */
  static List<String> hashable(Dataset<Row> table) {
    return Arrays.stream(table.schema().fields()).filter(f -> !(f.dataType() instanceof UserDefinedType<?>))
        .map(StructField::name).toList();
  }

  private static final class Outcome {
    boolean pushedFilters;
    Answer reference;
    long referenceRows;
    boolean failedAlike;
    String error;
    String[] disagreement;
  }

  /**
   * Runs one query both ways and fails if the answers differ or both fail; returns the rows (sorted, as text), or
   * for a large answer its summary ({@code rows=N hash=…}). For the cases once found, kept as regression tests.
   */
  public List<String> answers(DifferentialTable table, String sql) {
    Outcome outcome = compare(table, sql);
    if (outcome.disagreement != null) {
      throw new AssertionError(table.name() + ": " + sql + "\n  pushed:    " + outcome.disagreement[0]
          + "\n  reference: " + outcome.disagreement[1]);
    }
    if (outcome.failedAlike) {
      throw new AssertionError(table.name() + ": failed on both sides: " + sql);
    }
    Answer reference = outcome.reference;
    return reference.rows != null ? reference.rows : List.of(reference.summary);
  }

  private Outcome compare(DifferentialTable table, String sql) {
    Outcome outcome = new Outcome();
    Answer reference;
    Answer pushed;
    try {
      reference = answer(sessions.reference(), table.reference(), sql);
    } catch (RuntimeException e) {
      reference = new Answer(null, 0, "error: " + firstLine(e));
    }
    try {
      pushed = answer(sessions.pushed(), table.pushed(), sql);
      outcome.pushedFilters = pushed.pushedFilters;
    } catch (RuntimeException e) {
      pushed = new Answer(null, 0, "error: " + firstLine(e));
    }
    outcome.reference = reference;
    outcome.referenceRows = reference.count;
    if (reference.rows == null && pushed.rows == null && reference.summary.startsWith("error: ")
        && pushed.summary.startsWith("error: ")) {
      outcome.failedAlike = true;
      outcome.error = reference.summary;
    } else if (!pushed.summary.equals(reference.summary)
        || (pushed.rows != null && reference.rows != null && !pushed.rows.equals(reference.rows))) {
      outcome.disagreement = new String[] {pushed.summary + rowsText(pushed), reference.summary + rowsText(reference)};
    }
    return outcome;
  }

  private static String rowsText(Answer a) {
    if (a.rows == null || a.rows.size() > 20) {
      return "";
    }
    return " " + a.rows;
  }

  private record Answer(List<String> rows, long count, String summary, boolean pushedFilters) {
    Answer(List<String> rows, long count, String summary) {
      this(rows, count, summary, false);
    }
  }

  /**
   * The query's answer on one side: a count and an order-independent hash (two sums of the halves of each row's
   * xxhash64), and the sorted rows themselves when there are few.
   */
  private static Answer answer(SparkSession spark, Dataset<Row> table, String sql) {
    table.createOrReplaceTempView("t");
    Dataset<Row> result = spark.sql(sql);
    result.createOrReplaceTempView("answer");
    Dataset<Row> hashed = spark.sql("SELECT count(*), sum(h & 4294967295), sum(shiftrightunsigned(h, 32)) FROM "
        + "(SELECT xxhash64(*) AS h FROM answer)");
    Row summary = hashed.collectAsList().get(0); // collect, not first(): the plan read below is the one that ran
    long count = summary.getLong(0);
    List<String> rows = null;
    if (count <= FULL_ROWS_UP_TO) {
      rows = result.collectAsList().stream().map(Row::toString).sorted().toList();
    }
    return new Answer(rows, count, "rows=" + count + " hash=" + summary.get(1) + "/" + summary.get(2),
        pushedFilters(hashed.queryExecution().executedPlan()));
  }

  /** Whether the plan's scan took any filter: atl03 pushed=[…], flatgeobuf box=[…], Spark's files PushedFilters: […]. */
  private static boolean pushedFilters(SparkPlan plan) {
    boolean[] found = {false};
    plan.foreach(node -> {
      if (node instanceof AdaptiveSparkPlanExec adaptive) {
        found[0] |= pushedFilters(adaptive.executedPlan());
      } else if (node instanceof QueryStageExec stage) {
        found[0] |= pushedFilters(stage.plan());
      }
      String text = node instanceof BatchScanExec scan ? scan.scan().description() : node.simpleString(400);
      if ((text.contains("pushed=[") && !text.contains("pushed=[]"))
          || (text.contains("PushedFilters: [") && !text.contains("PushedFilters: []")) || text.contains(" box=[")) {
        found[0] = true;
      }
      return scala.runtime.BoxedUnit.UNIT;
    });
    return found[0];
  }

  private static String firstLine(Throwable e) {
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
