package org.atl03.datasource.spark.atl03;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.spark.PointGeometryTable;

final class Atl03Table implements SupportsRead, PointGeometryTable {

  private final Atl03Options options;
  private final ExtraDatasets extra;

  Atl03Table(Atl03Options options, ExtraDatasets extra) {
    this.options = options;
    this.extra = extra;
  }

  @Override
  public String name() {
    return "atl03 " + options.source();
  }

  @Override
  public StructType schema() {
    return extra.schema();
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
    return new Atl03ScanBuilder(options, extra);
  }
}
