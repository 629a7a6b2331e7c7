package org.atl03.udfs;

import org.apache.spark.sql.SparkSessionExtensions;
import org.atl03.udfs.polygon.EnvelopePushdown;
import scala.Function1;
import scala.Tuple3;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * {@code spark.sql.extensions=org.apache.sedona.sql.SedonaSqlExtensions,org.atl03.udfs.Atl03SqlExtensions}: the
 * ATL03 SQL functions ({@link Atl03Functions}) and the polygon envelope pushdown ({@link EnvelopePushdown}) in
 * every session Spark builds. Spark instantiates it by name, hence the public no-argument constructor.
 */
public final class Atl03SqlExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (Atl03Functions.Definition f : Atl03Functions.ALL) {
      extensions.injectFunction(new Tuple3<>(f.identifier(), f.info(), f.sparkBuilder()));
    }
    Function1<org.apache.spark.sql.SparkSession, org.apache.spark.sql.catalyst.rules.Rule<
        org.apache.spark.sql.catalyst.plans.logical.LogicalPlan>> rule = session -> new EnvelopePushdown();
    extensions.injectOptimizerRule(rule);
    return BoxedUnit.UNIT;
  }
}
