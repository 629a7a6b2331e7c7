package org.atl03.jobs.sql;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.atl03.jobs.SparkOptions;
import org.atl03.udfs.Atl03Sql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Spark SQL statements with the ATL03 functions, Sedona's and the polygon pushdown registered; ATL03",
      "granules are tables by --table NAME=GRANULES. Prints the last statement's result, or writes it (--out)."
    })
public final class SqlCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "SQL", description = "Statements, run in order; the last one's result is "
      + "printed or written.")
  List<String> statements;

  @Option(names = "--table", paramLabel = "NAME=GRANULES", description = "A temporary view of format(\"atl03\") "
      + "over granules (files, directories, globs; comma-separated), repeatable.")
  Map<String, String> tables = new LinkedHashMap<>();

  @Option(names = "--option", paramLabel = "KEY=VALUE", description = "An atl03 read option for every --table "
      + "(datasets=dist_ph_along,segment_dist_x, geometry=true, beams=…), repeatable.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--out", paramLabel = "DIR", description = "Write the result here instead of printing it.")
  String out;

  @Option(names = "--format", description = "Output format with --out: parquet, csv, json, geoparquet "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "parquet")
  String format = "parquet";

  @Option(names = "--show", paramLabel = "N", description = "Rows printed without --out (default: ${DEFAULT-VALUE}).",
      defaultValue = "20")
  int show = 20;

  @Option(names = "--explain", description = "Print the query plan (pushed filters included) before running.")
  boolean explain;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() {
    return spark.run("atl03 sql", session -> run(Atl03Sql.register(session), System.out));
  }

  int run(SparkSession session, PrintStream print) {
    for (Map.Entry<String, String> table : tables.entrySet()) {
      List<String> granules = new ArrayList<>(List.of(table.getValue().split(",")));
      session.read().format("atl03").options(options).load(granules.toArray(new String[0]))
          .createOrReplaceTempView(table.getKey());
    }
    Dataset<Row> result = null;
    for (String statement : statements) {
      result = session.sql(statement);
    }
    if (explain) {
      print.println(result.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$));
    }
    if (out != null) {
      result.write().mode(SaveMode.ErrorIfExists).format(format).save(out);
      print.println("wrote " + out + " (" + format + ")");
    } else {
      print.println(result.showString(show, 0, false));
    }
    return 0;
  }
}
