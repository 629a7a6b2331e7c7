package org.atl03.jobs.differential;

import java.time.ZoneId;
import org.apache.sedona.spark.SedonaContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.atl03.udfs.Atl03Functions;
import org.atl03.udfs.Atl03Sql;
import org.atl03.udfs.polygon.EnvelopePushdown;

/**
 * The two sessions a differential case runs in, on one SparkContext: {@code pushed} has everything a user gets
 * (the sources' pushdown, the ATL03 SQL functions, Sedona, the polygon envelope rule); {@code reference} has the
 * same functions but not the envelope rule, and reads only materialized copies, so nothing of ours prunes there.
 * Both parse timestamps in the same session time zone.
 */
public record DifferentialSessions(SparkSession pushed, SparkSession reference, ZoneId zone) {

  /**
   * From a session built without the ATL03 SQL extensions (as {@code SparkSession.builder()} gives): it becomes
   * the reference, and a new session on the same context with the extensions is the pushed one.
   */
  public static DifferentialSessions of(SparkSession base, ZoneId zone) {
    if (hasEnvelopeRule(base)) {
      throw new IllegalStateException("the reference session has the polygon envelope rule (spark.sql.extensions "
          + "includes " + Atl03Sql.EXTENSIONS + "?): it must not take part in the reference");
    }
    FunctionRegistry functions = base.sessionState().functionRegistry();
    if (!functions.functionExists(new org.apache.spark.sql.catalyst.FunctionIdentifier("ST_Point"))) {
      SedonaContext.create(base);
    }
    for (Atl03Functions.Definition f : Atl03Functions.ALL) {
      if (!functions.functionExists(f.identifier())) {
        functions.registerFunction(f.identifier(), f.info(), f.sparkBuilder());
      }
    }
    SparkSession pushed = Atl03Sql.register(base);
    for (SparkSession s : new SparkSession[] {base, pushed}) {
      s.conf().set("spark.sql.session.timeZone", zone.getId());
    }
    return new DifferentialSessions(pushed, base, zone);
  }

  private static boolean hasEnvelopeRule(SparkSession spark) {
    scala.collection.Iterator<?> rules =
        spark.sessionState().optimizer().extendedOperatorOptimizationRules().iterator();
    while (rules.hasNext()) {
      if (rules.next() instanceof EnvelopePushdown) {
        return true;
      }
    }
    return false;
  }
}
