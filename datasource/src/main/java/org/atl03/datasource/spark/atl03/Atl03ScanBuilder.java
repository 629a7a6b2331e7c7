package org.atl03.datasource.spark.atl03;

import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * Column pruning (a dataset not needed is never read) and filter pushdown: box, time window and beam filters
 * narrow what is planned. Filters on photon columns are also left for Spark to evaluate after the scan, because the
 * segment pruning is conservative (it keeps whole segments near the box), which keeps results exact; filters on
 * per-beam columns alone are decided exactly by the beams planned, so Spark does not compare every row again.
 */
final class Atl03ScanBuilder implements ScanBuilder, SupportsPushDownFilters, SupportsPushDownRequiredColumns {

  private final Atl03Options options;
  private final ExtraDatasets extra;
  private StructType required;
  private PushedFilters pushed = PushedFilters.of(new Filter[0]);

  Atl03ScanBuilder(Atl03Options options, ExtraDatasets extra) {
    this.options = options;
    this.extra = extra;
    this.required = extra.schema();
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    pushed = PushedFilters.of(filters);
    return PushedFilters.postScan(filters);
  }

  @Override
  public Filter[] pushedFilters() {
    return pushed.used().toArray(new Filter[0]);
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    this.required = requiredSchema;
  }

  @Override
  public Scan build() {
    return new Atl03Scan(options, required, PhotonColumns.of(required, extra.sources()), pushed);
  }
}
