package org.atl03.datasource.spark.flatgeobuf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.flatgeobuf.FgbHeader;
import org.atl03.datasource.io.HadoopInputFile;
import org.atl03.datasource.io.InputFile;
import org.atl03.datasource.io.InputFiles;

/**
 * {@code spark.read.format("flatgeobuf").load(paths)}: the features of FlatGeobuf files on any Hadoop FileSystem,
 * one row per feature (see {@link FlatGeobufColumns}); a box (option {@code bbox}, or pushed {@code x}/{@code y}
 * comparisons on point layers) reads only the index nodes and features it needs.
 */
public final class FlatGeobufDataSource implements TableProvider, DataSourceRegister {

  static final List<String> SUFFIXES = List.of(".fgb");

  @Override
  public String shortName() {
    return "flatgeobuf";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return table(options).schema();
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return table(new CaseInsensitiveStringMap(properties));
  }

  private static FlatGeobufTable table(CaseInsensitiveStringMap options) {
    FlatGeobufOptions parsed = FlatGeobufOptions.parse(options);
    Configuration conf = parsed.hadoopConf(SparkSession.active().sessionState().newHadoopConf());
    try {
      List<String> files = InputFiles.expand(conf, parsed.paths(), SUFFIXES);
      if (files.isEmpty()) {
        throw new IllegalArgumentException("format(\"flatgeobuf\"): no *.fgb files in " + parsed.paths());
      }
      String first = files.get(0);
      FgbHeader header;
      try (InputFile file = HadoopInputFile.open(new Path(first), conf)) {
        header = FgbHeader.read(file);
      }
      return new FlatGeobufTable(parsed, files, header, FlatGeobufColumns.schema(header, first));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
