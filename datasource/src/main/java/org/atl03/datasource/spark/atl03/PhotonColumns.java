package org.atl03.datasource.spark.atl03;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.atl03.datasource.hdf5.DatasetInfo;
import org.atl03.datasource.spark.SparkTypes;

/**
 * Where each output column comes from, and so which datasets a scan must read: column pruning is deciding this
 * list from the required schema. A column is a constant of the beam (granule, beam, strength, orbit), computed
 * (photon index, segment id, time from delta_time, geometry from lon/lat), a {@code gtx/heights} dataset, or a
 * {@code gtx/geolocation} dataset broadcast from segments to their photons.
 */
final class PhotonColumns implements Serializable {

  enum Source { GRANULE, BEAM, BEAM_STRENGTH, RGT, CYCLE, PHOTON_INDEX, SEGMENT_ID, TIME, GEOMETRY, HEIGHTS, GEOLOCATION }

  record Column(String name, DataType type, Source source, String dataset) implements Serializable {}

  private final List<Column> columns;
  private final List<String> heightsDatasets;
  private final List<String> geolocationDatasets;

  private PhotonColumns(List<Column> columns) {
    this.columns = List.copyOf(columns);
    List<String> heights = new ArrayList<>();
    List<String> geolocation = new ArrayList<>();
    for (Column c : columns) {
      if (c.source == Source.HEIGHTS && !heights.contains(c.dataset)) {
        heights.add(c.dataset);
      } else if (c.source == Source.TIME && !heights.contains(Atl03Columns.DELTA_TIME)) {
        heights.add(Atl03Columns.DELTA_TIME);
      } else if (c.source == Source.GEOLOCATION && !geolocation.contains(c.dataset)) {
        geolocation.add(c.dataset);
      }
    }
    // a geometry is built from lon/lat, read even when not selected themselves
    if (columns.stream().anyMatch(c -> c.source == Source.GEOMETRY)) {
      for (String coordinate : List.of(Atl03Columns.LON, Atl03Columns.LAT)) {
        if (!heights.contains(coordinate)) {
          heights.add(coordinate);
        }
      }
    }
    this.heightsDatasets = List.copyOf(heights);
    this.geolocationDatasets = List.copyOf(geolocation);
  }

  /**
   * The columns of {@code required}, each resolved by name against the table's sources ({@code extraSources}:
   * column name to "heights/NAME" or "geolocation/NAME" for the {@code datasets} option's columns).
   */
  static PhotonColumns of(StructType required, Map<String, String> extraSources) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : required.fields()) {
      columns.add(resolve(field, extraSources));
    }
    return new PhotonColumns(columns);
  }

  private static Column resolve(StructField field, Map<String, String> extraSources) {
    String name = field.name();
    String extra = extraSources.get(name);
    if (extra != null) {
      int slash = extra.indexOf('/');
      Source source = extra.startsWith("geolocation/") ? Source.GEOLOCATION : Source.HEIGHTS;
      return new Column(name, field.dataType(), source, extra.substring(slash + 1));
    }
    Source source =
        switch (name) {
          case Atl03Columns.GRANULE -> Source.GRANULE;
          case Atl03Columns.BEAM -> Source.BEAM;
          case Atl03Columns.BEAM_STRENGTH -> Source.BEAM_STRENGTH;
          case Atl03Columns.RGT -> Source.RGT;
          case Atl03Columns.CYCLE -> Source.CYCLE;
          case Atl03Columns.PHOTON_INDEX -> Source.PHOTON_INDEX;
          case Atl03Columns.SEGMENT_ID -> Source.SEGMENT_ID;
          case Atl03Columns.TIME -> Source.TIME;
          case Atl03Columns.GEOMETRY -> Source.GEOMETRY;
          default -> {
            if (!Atl03Columns.DEFAULT_HEIGHTS.contains(name)) {
              throw new IllegalArgumentException("unknown column " + name);
            }
            yield Source.HEIGHTS;
          }
        };
    return new Column(name, field.dataType(), source, source == Source.HEIGHTS ? name : null);
  }

  List<Column> columns() {
    return columns;
  }

  /** Heights datasets to read, delta_time included when time is asked for. */
  List<String> heightsDatasets() {
    return heightsDatasets;
  }

  List<String> geolocationDatasets() {
    return geolocationDatasets;
  }

  boolean needsSegmentIds() {
    return columns.stream().anyMatch(c -> c.source == Source.SEGMENT_ID);
  }

  /** Whether photons need their segment: segment_id or a broadcast segment-rate column. */
  boolean needsSegments() {
    return !geolocationDatasets.isEmpty() || columns.stream().anyMatch(c -> c.source == Source.SEGMENT_ID);
  }

  /**
   * Refuses a dataset ({@code gtx/heights/NAME} or {@code gtx/geolocation/NAME}) whose type is not its column's:
   * the file is not ATL03 as expected.
   */
  void checkType(DatasetInfo info, String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    Source source = path.contains("/geolocation/") ? Source.GEOLOCATION : Source.HEIGHTS;
    for (Column column : columns) {
      if (name.equals(column.dataset()) && column.source() == source) {
        DataType actual = SparkTypes.of(info.type(), info.rowElements(), info.describe());
        if (!actual.equals(column.type())) {
          throw new IllegalArgumentException(info.describe() + " is " + info.type() + " × " + info.rowElements()
              + ", but column " + column.name() + " is " + column.type().simpleString() + ": not ATL03 as expected");
        }
      }
    }
  }
}
