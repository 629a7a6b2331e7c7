package org.atl03.datasource.spark.atl03;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.atl03.Atl03Granule;
import org.atl03.datasource.atl03.GranuleReadOptions;
import org.atl03.datasource.atl03.Granules;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.io.HadoopStorage;
import org.atl03.datasource.io.ReadMetrics;
import org.atl03.datasource.io.Storage;
import org.atl03.datasource.io.StoredFile;
import org.atl03.datasource.spark.GranuleSettings;
import org.atl03.datasource.spark.SedonaGeometry;
import org.atl03.datasource.spark.SparkTypes;
import org.atl03.datasource.spark.catalog.CatalogReader;

/**
 * The columns beyond the default ones: the {@code geometry} option's point, and the {@code datasets} option's: each
 * name resolved against the first granule's first beam, to a heights dataset (photon rate) or a geolocation one
 * (segment rate, broadcast to photons), with its column type.
 */
final class ExtraDatasets implements Serializable {

  /** Column name to "heights/NAME" or "geolocation/NAME". */
  private final Map<String, String> sources;
  private final StructType schema;

  private ExtraDatasets(Map<String, String> sources, StructType schema) {
    this.sources = sources;
    this.schema = schema;
  }

  static ExtraDatasets resolve(Atl03Options options, Configuration conf) {
    Map<String, String> sources = new LinkedHashMap<>();
    StructType schema = Atl03Columns.DEFAULT_SCHEMA;
    if (options.geometry()) {
      schema = schema.add(new StructField(Atl03Columns.GEOMETRY, SedonaGeometry.type("option geometry=true"), false,
          new MetadataBuilder().putString(SedonaGeometry.POINT_OF, Atl03Columns.LON + "," + Atl03Columns.LAT).build()));
    }
    if (options.datasets().isEmpty()) {
      return new ExtraDatasets(sources, schema);
    }
    try {
      Storage storage = new HadoopStorage(conf);
      List<String> files;
      if (options.catalog() != null) {
        files = CatalogReader.granules(SparkSession.active(), options.catalog(), 3);
        CatalogPrefixes allowed = CatalogPrefixes.of(options.catalog(), storage, conf);
        files.forEach(allowed::check);
      } else {
        files = storage.list(options.paths(), Granules.SUFFIXES).stream().map(StoredFile::location).toList();
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no ATL03 granules in " + options.source() + " to resolve option datasets");
      }
      try (Atl03Granule granule = firstReadable(files, storage, GranuleSettings.from(conf))) {
        String beam = granule.beams().get(0);
        for (String requested : options.datasets()) {
          String source = sourceOf(granule, beam, requested);
          String name = source.substring(source.indexOf('/') + 1);
          if (schema.getFieldIndex(name).isDefined()) {
            name = source.replace('/', '_'); // e.g. geolocation/delta_time next to the photons' delta_time
          }
          if (schema.getFieldIndex(name).isDefined()) {
            throw new IllegalArgumentException("option datasets: column " + name + " given twice");
          }
          DatasetInfo info = granule.file().dataset(beam + "/" + source);
          schema = schema.add(new StructField(name, SparkTypes.of(info.type(), info.rowElements(), info.describe()),
              false, org.apache.spark.sql.types.Metadata.empty()));
          sources.put(name, source);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ExtraDatasets(sources, schema);
  }

  /**
   * The first granule that opens as ATL03. An unreadable one is passed over here: planning then fails naming it, or
   * skips it with ignoreCorruptFiles, and the columns must not depend on which granule happens to sort first.
   */
  private static Atl03Granule firstReadable(List<String> files, Storage storage, GranuleReadOptions readOptions)
      throws IOException {
    Exception first = null;
    for (String file : files) {
      Atl03Granule granule = null;
      try {
        granule = Granules.open(file, storage, readOptions, new ReadMetrics());
        granule.beams(); // throws for a file that is not ATL03
        return granule;
      } catch (IOException | RuntimeException e) {
        if (granule != null) {
          granule.close();
        }
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof IOException io) {
      throw io;
    }
    throw (RuntimeException) first;
  }

  private static String sourceOf(Atl03Granule granule, String beam, String requested) {
    if (requested.startsWith("heights/") || requested.startsWith("geolocation/")) {
      if (!granule.file().hasDataset(beam + "/" + requested)) {
        throw new IllegalArgumentException(granule.location() + ": option datasets: no dataset /" + beam + "/"
            + requested);
      }
      return requested;
    }
    for (String group : List.of("heights/", "geolocation/")) {
      if (granule.file().hasDataset(beam + "/" + group + requested)) {
        return group + requested;
      }
    }
    throw new IllegalArgumentException(granule.location() + ": option datasets: " + requested + " is neither /"
        + beam + "/heights/" + requested + " nor /" + beam + "/geolocation/" + requested);
  }

  StructType schema() {
    return schema;
  }

  Map<String, String> sources() {
    return sources;
  }
}
