package org.atl03.udfs.polygon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.locationtech.jts.operation.valid.IsValidOp;

/**
 * An area of interest from a file on any Hadoop file system: WKT, or GeoJSON (a Polygon or MultiPolygon geometry,
 * a Feature, or a FeatureCollection whose polygons are taken together). Coordinates are lon, lat in degrees (x, y),
 * as in ST_Point(lon_ph, lat_ph). The result must be a valid polygon or multipolygon: an invalid one would give
 * point-in-polygon answers that depend on the algorithm.
 */
public final class PolygonFiles {

  /** Areas of interest are small files; a larger one is a mistake (a granule given as the polygon, say). */
  static final long MAX_BYTES = 64L << 20;

  private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 0);

  private PolygonFiles() {}

  public static Geometry read(String location, Configuration conf) {
    String text;
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      long length = fs.getFileStatus(path).getLen();
      if (length > MAX_BYTES) {
        throw new IllegalArgumentException(location + ": " + length + " bytes is too large for a polygon file");
      }
      try (InputStream in = fs.open(path)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(location + ": cannot read the polygon file: " + e, e);
    }
    return parse(location, text);
  }

  /** A polygon from WKT or GeoJSON text; {@code source} names it in errors. */
  public static Geometry parse(String source, String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(source + ": empty polygon file");
    }
    Geometry geometry = trimmed.startsWith("{") ? geoJson(source, trimmed) : wkt(source, trimmed);
    if (!(geometry instanceof Polygonal) || geometry.isEmpty()) {
      throw new IllegalArgumentException(source + ": a " + geometry.getGeometryType()
          + (geometry.isEmpty() ? " (empty)" : "") + ", not a polygon or multipolygon");
    }
    IsValidOp validity = new IsValidOp(geometry);
    if (!validity.isValid()) {
      throw new IllegalArgumentException(source + ": invalid polygon: " + validity.getValidationError());
    }
    return geometry;
  }

  private static Geometry wkt(String source, String text) {
    try {
      return new WKTReader(FACTORY).read(text);
    } catch (ParseException e) {
      throw new IllegalArgumentException(source + ": neither GeoJSON nor WKT: " + e.getMessage(), e);
    }
  }

  private static Geometry geoJson(String source, String text) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid GeoJSON: " + e.getOriginalMessage(), e);
    }
    List<Polygon> polygons = new ArrayList<>();
    collect(source, root, polygons);
    if (polygons.isEmpty()) {
      throw new IllegalArgumentException(source + ": GeoJSON without a polygon");
    }
    return polygons.size() == 1
        ? polygons.get(0)
        : FACTORY.createMultiPolygon(polygons.toArray(new Polygon[0]));
  }

  private static void collect(String source, JsonNode node, List<Polygon> out) {
    String type = node.path("type").asText("");
    switch (type) {
      case "FeatureCollection" -> {
        for (JsonNode feature : node.path("features")) {
          collect(source, feature, out);
        }
      }
      case "Feature" -> collect(source, node.path("geometry"), out);
      case "GeometryCollection" -> {
        for (JsonNode g : node.path("geometries")) {
          collect(source, g, out);
        }
      }
      case "Polygon" -> out.add(polygon(source, node.path("coordinates")));
      case "MultiPolygon" -> {
        for (JsonNode rings : node.path("coordinates")) {
          out.add(polygon(source, rings));
        }
      }
      default -> throw new IllegalArgumentException(source + ": GeoJSON "
          + (type.isEmpty() ? "object without a type" : type) + ", expected Polygon, MultiPolygon, Feature or "
          + "FeatureCollection of them");
    }
  }

  private static Polygon polygon(String source, JsonNode rings) {
    if (!rings.isArray() || rings.isEmpty()) {
      throw new IllegalArgumentException(source + ": GeoJSON polygon without rings");
    }
    LinearRing shell = ring(source, rings.get(0));
    LinearRing[] holes = new LinearRing[rings.size() - 1];
    for (int i = 1; i < rings.size(); i++) {
      holes[i - 1] = ring(source, rings.get(i));
    }
    return FACTORY.createPolygon(shell, holes);
  }

  private static LinearRing ring(String source, JsonNode positions) {
    List<Coordinate> coordinates = new ArrayList<>();
    for (JsonNode p : positions) {
      if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
        throw new IllegalArgumentException(source + ": GeoJSON position " + p + " is not [lon, lat]");
      }
      coordinates.add(new Coordinate(p.get(0).asDouble(), p.get(1).asDouble()));
    }
    try {
      return FACTORY.createLinearRing(coordinates.toArray(new Coordinate[0]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": GeoJSON ring " + positions + ": " + e.getMessage(), e);
    }
  }
}
