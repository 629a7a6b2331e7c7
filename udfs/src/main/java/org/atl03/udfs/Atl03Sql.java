package org.atl03.udfs;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.atl03.datasource.spark.SedonaGeometry;
import org.atl03.udfs.polygon.EnvelopePushdown;
import scala.collection.Iterator;
import scala.runtime.BoxedUnit;

/**
 * Local use, in one call. Spark builds a session's optimizer once, from the extensions it was created with, so the
 * polygon pushdown cannot be added to a session already running: {@link #register} returns the session to use.
 */
public final class Atl03Sql {

  static final String SEDONA_EXTENSIONS = "org.apache.sedona.sql.SedonaSqlExtensions";

  /** The value for {@code spark.sql.extensions}: Sedona's (ignored by Spark when absent), then ours. */
  public static final String EXTENSIONS = SEDONA_EXTENSIONS + "," + Atl03SqlExtensions.class.getName();

  private Atl03Sql() {}

  /**
   * The ATL03 functions and polygon pushdown (and Sedona's functions, when on the classpath) for an existing
   * session: returns {@code spark} itself when it was built with them (spark.sql.extensions),
   * else a new session on the same SparkContext that has them (Spark's {@code newSession()}: its own SQL
   * configuration and temporary views).
   */
  public static SparkSession register(SparkSession spark) {
    if (isRegistered(spark)) {
      return spark;
    }
    // the extensions object is shared with sessions created from this one: the next session's state uses them
    if (!hasRule(spark.extensions().buildOptimizerRules(spark).iterator())) {
      addTo(spark.extensions());
    }
    SparkSession extended = spark.newSession();
    if (!isRegistered(extended)) {
      throw new IllegalStateException("the ATL03 SQL extensions did not take effect in a new session");
    }
    return extended;
  }

  /** Whether a session has the ATL03 functions and the pushdown rule in its optimizer. */
  public static boolean isRegistered(SparkSession spark) {
    FunctionRegistry functions = spark.sessionState().functionRegistry();
    if (!functions.functionExists(Atl03Functions.ALL.get(0).identifier())) {
      return false;
    }
    return hasRule(spark.sessionState().optimizer().extendedOperatorOptimizationRules().iterator());
  }

  private static boolean hasRule(Iterator<?> rules) {
    while (rules.hasNext()) {
      if (rules.next() instanceof EnvelopePushdown) {
        return true;
      }
    }
    return false;
  }

  private static synchronized void addTo(SparkSessionExtensions extensions) {
    if (SedonaGeometry.available()) {
      try {
        @SuppressWarnings("unchecked")
        scala.Function1<SparkSessionExtensions, BoxedUnit> sedona =
            (scala.Function1<SparkSessionExtensions, BoxedUnit>) Class.forName(SEDONA_EXTENSIONS)
                .getDeclaredConstructor().newInstance();
        sedona.apply(extensions);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot load " + SEDONA_EXTENSIONS + ": " + e, e);
      }
    }
    new Atl03SqlExtensions().apply(extensions);
  }
}
