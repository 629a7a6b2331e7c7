package org.atl03.datasource.spark.atl03;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * {@code spark.read.format("atl03").load(paths)}: ICESat-2 ATL03 photons from HDF5 granules on any Hadoop
 * FileSystem, one row per photon (see {@link Atl03Columns}).
 */
public final class Atl03DataSource implements TableProvider, DataSourceRegister {

  @Override
  public String shortName() {
    return "atl03";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return table(options).schema();
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return table(new CaseInsensitiveStringMap(properties));
  }

  private static Atl03Table table(CaseInsensitiveStringMap options) {
    Atl03Options parsed = Atl03Options.parse(options);
    SparkSession spark = SparkSession.active();
    return new Atl03Table(
        parsed, ExtraDatasets.resolve(parsed, parsed.hadoopConf(spark.sessionState().newHadoopConf())));
  }
}
