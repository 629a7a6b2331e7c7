package org.atl03.datasource.spark.flatgeobuf;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.flatgeobuf.FgbHeader;

/** The files of one load; the schema is the first file's, and every other file must have the same columns. */
final class FlatGeobufTable implements SupportsRead {

  private final FlatGeobufOptions options;
  private final List<String> files;
  private final FgbHeader header;
  private final StructType schema;

  FlatGeobufTable(FlatGeobufOptions options, List<String> files, FgbHeader header, StructType schema) {
    this.options = options;
    this.files = files;
    this.header = header;
    this.schema = schema;
  }

  @Override
  public String name() {
    return "flatgeobuf " + options.paths();
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
    return new FlatGeobufScanBuilder(options, files, header, schema);
  }
}
