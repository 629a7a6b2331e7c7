package org.atl03.jobs.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The validator the GeoParquet conversion test relies on, checked on its own: it accepts the specification's own
 * v1.1.0 example file and our metadata, and rejects each kind of broken metadata, so that a pass means something.
 */
class GeoParquetSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"));

  /** The shape of the metadata our conversion writes (the conversion test validates the real footers). */
  private static ObjectNode ours() throws Exception {
    ObjectNode geo = JSON.createObjectNode();
    geo.put("version", "1.1.0");
    geo.put("primary_column", "geometry");
    ObjectNode column = geo.putObject("columns").putObject("geometry");
    column.put("encoding", "WKB");
    column.putArray("geometry_types").add("Point");
    column.set("crs", JSON.readTree(GeoParquetConversion.crs84()));
    column.putArray("bbox").add(-168.3).add(87.9).add(-167.4).add(87.95);
    ObjectNode covering = column.putObject("covering").putObject("bbox");
    for (String field : List.of("xmin", "ymin", "xmax", "ymax")) {
      covering.putArray(field).add("bbox").add(field);
    }
    return geo;
  }

  @Test
  void acceptsTheSpecificationsOwnExampleFile() throws Exception {
    assertThat(GeoParquetSchema.violations(fixtureGeo("geoparquet-spec-example-v1.1.0.parquet"))).isEmpty();
  }

  @Test
  void acceptsOurMetadataAndPROJIdentifiesItsCrsAsCrs84() throws Exception {
    assertThat(GeoParquetSchema.violations(ours().toString())).isEmpty();
    assertThat(GeoParquetSchema.identifyCrs(GeoParquetConversion.crs84())).containsExactly("OGC:CRS84");
  }

  @Test
  void rejectsSlideRulesFileAsNot11ButNothingElse() throws Exception {
    List<String> violations = GeoParquetSchema.violations(fixtureGeo("atl03x-surface_TEST_small_GEO.parquet"));
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0)).startsWith("version: ").contains("1.1.0");
  }

  @Test
  void rejectsEachKindOfBrokenMetadata() throws Exception {
    assertRejected("version", geo -> geo.put("version", "1.1"));
    assertRejected("primary_column", geo -> geo.remove("primary_column"));
    assertRejected("primary_column", geo -> geo.put("primary_column", "geom"));
    assertRejected("columns", geo -> geo.putObject("columns"));
    assertRejected("columns/geometry", geo -> column(geo).remove("geometry_types"));
    assertRejected("columns/geometry/encoding", geo -> column(geo).put("encoding", "wkt"));
    assertRejected("columns/geometry/geometry_types/0", geo -> types(geo).set(0, JSON.getNodeFactory().textNode("Pt")));
    assertRejected("columns/geometry/geometry_types", geo -> types(geo).add("Point"));
    assertRejected("columns/geometry/bbox", geo -> ((ArrayNode) column(geo).get("bbox")).add(1.0));
    assertRejected("columns/geometry/bbox/0", geo -> ((ArrayNode) column(geo).get("bbox")).set(0,
        JSON.getNodeFactory().textNode("-168")));
    assertRejected("columns/geometry/edges", geo -> column(geo).put("edges", "geodesic"));
    assertRejected("columns/geometry/orientation", geo -> column(geo).put("orientation", "clockwise"));
    assertRejected("columns/geometry/crs", geo -> column(geo).put("crs", "OGC:CRS84"));
    assertRejected("columns/geometry/crs", geo -> column(geo).putObject("crs").put("type", "GeographicCRS"));
    assertRejected("columns/geometry/covering/bbox", geo -> covering(geo).remove("ymax"));
    assertRejected("columns/geometry/covering/bbox/xmin/1", geo -> ((ArrayNode) covering(geo).get("xmin")).set(1,
        JSON.getNodeFactory().textNode("xmax")));
    assertRejected("columns/geometry/covering/bbox/xmin", geo -> ((ArrayNode) covering(geo).get("xmin")).add("x"));
  }

  /** The {@code geo} metadata of a real file in the shared fixtures (the test is skipped when it is absent). */
  private static String fixtureGeo(String name) throws Exception {
    Path file = FIXTURES.resolve("geoparquet").resolve(name);
    assumeTrue(Files.isRegularFile(file), "fixture absent, test skipped: " + file);
    return GeoParquetAndDeltaConversionTest.footer(new Configuration(), new org.apache.hadoop.fs.Path(file.toString()))
        .getFileMetaData().getKeyValueMetaData().get("geo");
  }

  private static void assertRejected(String path, Consumer<ObjectNode> breakIt) throws Exception {
    ObjectNode geo = ours();
    breakIt.accept(geo);
    List<String> violations = GeoParquetSchema.violations(geo.toString());
    assertThat(violations).as("violations of %s", geo).isNotEmpty();
    assertThat(violations).as("violations of %s", geo).anyMatch(v -> v.startsWith(path + ":"));
  }

  private static ObjectNode column(ObjectNode geo) {
    return (ObjectNode) geo.get("columns").get("geometry");
  }

  private static ArrayNode types(ObjectNode geo) {
    return (ArrayNode) column(geo).get("geometry_types");
  }

  private static ObjectNode covering(ObjectNode geo) {
    return (ObjectNode) column(geo).get("covering").get("bbox");
  }
}
