package org.atl03.testing.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Generates tiny granules once per layout and checks them with h5py, h5dump and jhdf. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorTest {

    private static final long PHOTONS = 30_000;
    private static final long SEED = 7;
    private static final List<String> BEAMS = List.of("gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path tmp;

    private List<Path> v006;
    private List<Path> v007;
    private List<Path> contiguous;
    private List<JsonNode> v006Inspected = new ArrayList<>();
    private JsonNode v007Inspected;
    private JsonNode contiguousInspected;

    @BeforeAll
    void generate(@TempDir Path classDir) throws Exception {
        tmp = classDir;
        Configurator.setLevel("io.jhdf", Level.WARN);
        v006 = Generator.generate(new GeneratorOptions(tmp.resolve("v006"), 2, PHOTONS, SEED, Layout.V006));
        v007 = Generator.generate(new GeneratorOptions(tmp.resolve("v007"), 1, PHOTONS, SEED, Layout.V007));
        contiguous = Generator.generate(
                new GeneratorOptions(tmp.resolve("contiguous"), 1, PHOTONS, SEED, Layout.CONTIGUOUS));
        for (Path granule : v006) {
            v006Inspected.add(inspect(granule));
        }
        v007Inspected = inspect(v007.get(0));
        contiguousInspected = inspect(contiguous.get(0));
    }

    @Test
    void writesOneFileNamedLikeNasaPerGranuleWithItsOwnRgt() {
        assertThat(v006).hasSize(2).allSatisfy(p -> assertThat(p).isRegularFile());
        Set<String> rgts = new HashSet<>();
        for (Path p : v006) {
            String name = p.getFileName().toString();
            assertThat(name).matches("ATL03_\\d{14}_\\d{8}_006_01\\.h5");
            rgts.add(name.substring(21, 25));
        }
        assertThat(rgts).hasSize(2);
    }

    @Test
    void photonCountsAndSegmentIndexAreConsistentInEveryBeam() {
        for (JsonNode granule : v006Inspected) {
            assertThat(granule.get("short_name").asText()).isEqualTo("ATL03");
            assertThat(granule.get("atlas_sdp_gps_epoch").asDouble()).isEqualTo(1198800018.0);
            for (String beam : BEAMS) {
                JsonNode b = granule.get("beams").get(beam);
                long[] counts = longs(b.get("segment_ph_cnt"));
                long[] begin = longs(b.get("ph_index_beg"));
                long sum = 0;
                int empty = 0;
                for (int i = 0; i < counts.length; i++) {
                    // 1-based start of the segment's photons, 0 when it has none
                    assertThat(begin[i]).as("%s ph_index_beg[%d]", beam, i).isEqualTo(counts[i] == 0 ? 0 : sum + 1);
                    sum += counts[i];
                    empty += counts[i] == 0 ? 1 : 0;
                }
                assertThat(sum).as(beam).isEqualTo(b.get("photons").asLong());
                assertThat(empty).as("some empty segments in " + beam).isPositive();
                boolean strong = b.get("atlas_beam_type").asText().equals("strong");
                assertThat(sum).isEqualTo(strong ? PHOTONS : PHOTONS / 4);
                assertThat(b.get("dataset_count").asInt()).isEqualTo(80);
            }
        }
    }

    @Test
    void beamStrengthFollowsSpacecraftOrientation() {
        for (JsonNode granule : v006Inspected) {
            int scOrient = granule.get("sc_orient").asInt();
            for (String beam : BEAMS) {
                boolean left = beam.endsWith("l");
                String expected = (left == (scOrient == 0)) ? "strong" : "weak";
                assertThat(granule.get("beams").get(beam).get("atlas_beam_type").asText())
                        .as("%s with sc_orient %d", beam, scOrient).isEqualTo(expected);
            }
        }
    }

    @Test
    void deltaTimeIncreasesAlongTrack() {
        for (JsonNode granule : v006Inspected) {
            for (String beam : BEAMS) {
                double[] segments = doubles(granule.get("beams").get(beam).get("segment_delta_time"));
                double[] photons = doubles(granule.get("beams").get(beam).get("photon_delta_time"));
                for (int i = 1; i < segments.length; i++) {
                    assertThat(segments[i]).as("%s segment %d", beam, i).isGreaterThan(segments[i - 1]);
                }
                for (int i = 1; i < photons.length; i++) {
                    assertThat(photons[i]).as("%s photon %d", beam, i).isGreaterThanOrEqualTo(photons[i - 1]);
                }
                // ~7 km/s ground speed: 20 m segments are ~2.8 ms apart
                double perSegment = (segments[segments.length - 1] - segments[0]) / (segments.length - 1);
                assertThat(perSegment).isBetween(0.0025, 0.0032);
            }
        }
    }

    @Test
    void firstGranuleCrossesTheAntimeridianAtHighLatitude() {
        JsonNode gt1l = v006Inspected.get(0).get("beams").get("gt1l");
        assertThat(gt1l.get("lat_max").asDouble()).isGreaterThan(85.0);
        assertThat(gt1l.get("lon_jumps_over_180").asInt()).isPositive();
    }

    @Test
    void v006ChunksAndFiltersAsTheMission() throws Exception {
        JsonNode layout = v006Inspected.get(0).get("layout");
        assertThat(layout.size()).isEqualTo(6 * 80);
        layout.fields().forEachRemaining(e -> {
            assertThat(e.getValue().get("chunks").get(0).asInt()).as(e.getKey()).isEqualTo(10_000);
            assertThat(e.getValue().get("compression").asText()).as(e.getKey()).isEqualTo("gzip");
            assertThat(e.getValue().get("compression_opts").asInt()).as(e.getKey()).isEqualTo(6);
            assertThat(e.getValue().get("maxshape").get(0).asInt()).as("unlimited " + e.getKey()).isEqualTo(-1);
        });
        assertThat(layout.get("gt2l/heights/h_ph").get("shuffle").asBoolean()).isFalse();
        assertThat(layout.get("gt2l/geolocation/segment_ph_cnt").get("shuffle").asBoolean()).isTrue();

        String conf = h5dump(v006.get(0), "/gt1l/heights/signal_conf_ph");
        assertThat(conf).contains("CHUNKED ( 10000, 5 )", "PREPROCESSING SHUFFLE", "COMPRESSION DEFLATE { LEVEL 6 }",
                "H5S_UNLIMITED");
        String height = h5dump(v006.get(0), "/gt1l/heights/h_ph");
        assertThat(height).contains("CHUNKED ( 10000 )", "COMPRESSION DEFLATE { LEVEL 6 }")
                .doesNotContain("SHUFFLE");
    }

    @Test
    void v007UsesLargeChunksAndPagedFileSpace() throws Exception {
        JsonNode layout = v007Inspected.get("layout");
        assertThat(layout.get("gt1l/heights/h_ph").get("chunks").get(0).asInt()).isEqualTo(100_000);
        assertThat(layout.get("gt3r/heights/signal_conf_ph").get("chunks").toString()).isEqualTo("[100000,5]");
        assertThat(v007Inspected.get("file_space_strategy").asInt()).as("H5F_FSPACE_STRATEGY_PAGE").isEqualTo(1);
        assertThat(h5dump(v007.get(0), "/gt1l/heights/h_ph")).contains("CHUNKED ( 100000 )");
    }

    @Test
    void chunksOfDifferentDatasetsAndBeamsInterleave() {
        JsonNode granule = v006Inspected.get(0);
        // strong beams of two different pairs, so that each dataset has several chunks
        List<String> strong = BEAMS.stream()
                .filter(b -> granule.get("beams").get(b).get("atlas_beam_type").asText().equals("strong")).toList();
        JsonNode storage = granule.get("storage");
        List<long[]> heights = runs(storage.get(strong.get(0) + "/heights/h_ph"));
        List<long[]> latitudes = runs(storage.get(strong.get(1) + "/heights/lat_ph"));
        assertThat(heights).hasSizeGreaterThan(2);
        assertThat(latitudes).hasSizeGreaterThan(2);
        // in file order, the owners of the chunks alternate more than once (AAABBB would be 2 runs)
        assertThat(ownerRunsInFileOrder(heights, latitudes)).as("h_ph / lat_ph chunks interleave").isGreaterThan(2);
        assertThat(isOneRun(heights)).isFalse();
        assertThat(isOneRun(latitudes)).isFalse();
    }

    @Test
    void contiguousLayoutKeepsEveryDatasetInOneRun() throws Exception {
        JsonNode storage = contiguousInspected.get("storage");
        List<long[]> all = new ArrayList<>();
        storage.fields().forEachRemaining(e -> {
            List<long[]> r = runs(e.getValue());
            assertThat(r).as(e.getKey()).hasSize(1);
            all.addAll(r);
        });
        all.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i)[0]).isGreaterThanOrEqualTo(all.get(i - 1)[0] + all.get(i - 1)[1]);
        }
        assertThat(ownerRunsInFileOrder(runs(storage.get("gt1l/heights/h_ph")), runs(storage.get("gt2r/heights/lat_ph"))))
                .isEqualTo(2);
        assertThat(contiguousInspected.get("layout").get("gt1l/heights/h_ph").get("chunks").isNull()).isTrue();
        assertThat(h5dump(contiguous.get(0), "/gt1l/heights/h_ph")).contains("CONTIGUOUS")
                .doesNotContain("DEFLATE");
        // the same simulation as v006: only the layout differs
        assertThat(contiguousInspected.get("digests").get("gt1l/heights/h_ph"))
                .isEqualTo(v006Inspected.get(0).get("digests").get("gt1l/heights/h_ph"));
    }

    @Test
    void sameSeedGivesIdenticalValuesAndAnotherSeedDoesNot() throws Exception {
        Path again = Generator.generate(new GeneratorOptions(tmp.resolve("again"), 1, PHOTONS, SEED, Layout.V006))
                .get(0);
        Path other = Generator.generate(
                new GeneratorOptions(tmp.resolve("other"), 1, PHOTONS, SEED + 1, Layout.V006)).get(0);
        JsonNode first = v006Inspected.get(0).get("digests");
        assertThat(again.getFileName()).isEqualTo(v006.get(0).getFileName());
        assertThat(inspect(again).get("digests")).isEqualTo(first);
        assertThat(inspect(other).get("digests").get("gt1l/heights/h_ph")).isNotEqualTo(first.get("gt1l/heights/h_ph"));
    }

    @Test
    void xarrayOpensHeightsWithDimensionScalesInsteadOfPhonyDims() {
        JsonNode opened = v006Inspected.get(0).get("xarray");
        assertThat(opened.has("error")).as(opened.toString()).isFalse();
        assertThat(names(opened.get("dims"))).containsExactlyInAnyOrder("delta_time", "ds_surf_type");
        assertThat(opened.get("dims").get("delta_time").asLong())
                .isEqualTo(v006Inspected.get(0).get("beams").get("gt1l").get("photons").asLong());
        assertThat(opened.get("variables").toString()).contains("\"h_ph\"", "\"signal_conf_ph\"", "\"lat_ph\"");
    }

    @Test
    void jhdfReadsTheSameSegmentIndex() throws Exception {
        JsonNode gt2r = v006Inspected.get(0).get("beams").get("gt2r");
        // jhdf 0.13.0's close() fails for channel-backed files ("No backing file"): close the channel instead
        try (FileChannel channel = FileChannel.open(v006.get(0))) {
            HdfFile hdf = new HdfFile(channel);
            int[] counts = (int[]) hdf.getDatasetByPath("/gt2r/geolocation/segment_ph_cnt").getData();
            long[] begin = (long[]) hdf.getDatasetByPath("/gt2r/geolocation/ph_index_beg").getData();
            assertThat(counts).containsExactly(ints(gt2r.get("segment_ph_cnt")));
            assertThat(begin).containsExactly(longs(gt2r.get("ph_index_beg")));
            assertThat(hdf.getDatasetByPath("/gt2r/heights/signal_conf_ph").getDimensions())
                    .containsExactly((int) gt2r.get("photons").asLong(), 5);
        }
    }

    @Test
    void templateCoversEveryDatasetOfTheRealBeam() throws Exception {
        Path fixture = Path.of(System.getProperty("atl03.fixtures", "../shared/fixtures"), "atl03",
                "ATL03_gt1l.expected.json");
        assumeTrue(Files.isRegularFile(fixture), "real ATL03 fixture absent (" + fixture + "): skipping coverage");
        Set<String> real = new TreeSet<>();
        JsonNode expected = JSON.readTree(fixture.toFile());
        collectDatasetPaths(expected, real);
        Set<String> templated = new TreeSet<>();
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream(Generator.RESOURCE_DIR + Generator.TEMPLATE)) {
            assertThat(in).as("template on the classpath").isNotNull();
            for (JsonNode spec : JSON.readTree(in).get("beam_datasets")) {
                String path = "gt1l/" + spec.get("path").asText();
                templated.add(path);
                JsonNode realSpec = expected.get("datasets").get("/" + path);
                if (realSpec != null) {
                    assertThat(spec.get("dtype").asText()).as(path).isEqualTo(realSpec.get("dtype").asText());
                }
            }
        }
        assertThat(real).hasSize(80);
        assertThat(templated).isEqualTo(real);
    }

    @Test
    void missingPythonFailsWithTheInstallCommand() {
        String previous = System.getProperty(Generator.PYTHON_OVERRIDE);
        System.setProperty(Generator.PYTHON_OVERRIDE, tmp.resolve("no-such-python3").toString());
        try {
            assertThatThrownBy(() -> Generator.generate(GeneratorOptions.defaults(tmp.resolve("never"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("apt-get install -y python3-h5py python3-numpy hdf5-tools");
        } finally {
            if (previous == null) {
                System.clearProperty(Generator.PYTHON_OVERRIDE);
            } else {
                System.setProperty(Generator.PYTHON_OVERRIDE, previous);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void collectDatasetPaths(JsonNode expected, Set<String> into) {
        // the fixture's expected.json keys its per-dataset entries by full path ("gt1l/heights/h_ph")
        JsonNode datasets = expected.has("datasets") ? expected.get("datasets") : expected;
        datasets.fieldNames().forEachRemaining(name -> {
            String path = name.startsWith("/") ? name.substring(1) : name;
            if (path.startsWith("gt1l/")) {
                into.add(path);
            }
        });
    }

    private static JsonNode inspect(Path granule) throws IOException, InterruptedException {
        Path script = Path.of("src/test/python/inspect_granule.py").toAbsolutePath();
        String out = run(Generator.python(), script.toString(), granule.toString());
        return JSON.readTree(out);
    }

    private static String h5dump(Path granule, String dataset) throws IOException, InterruptedException {
        return run("h5dump", "-H", "-p", "-d", dataset, granule.toString());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static List<long[]> runs(JsonNode node) {
        List<long[]> runs = new ArrayList<>();
        node.forEach(r -> runs.add(new long[] {r.get(0).asLong(), r.get(1).asLong()}));
        return runs;
    }

    private static int ownerRunsInFileOrder(List<long[]> first, List<long[]> second) {
        List<long[]> tagged = new ArrayList<>();
        first.forEach(r -> tagged.add(new long[] {r[0], 0}));
        second.forEach(r -> tagged.add(new long[] {r[0], 1}));
        tagged.sort(Comparator.comparingLong(r -> r[0]));
        int ownerRuns = 1;
        for (int i = 1; i < tagged.size(); i++) {
            ownerRuns += tagged.get(i)[1] != tagged.get(i - 1)[1] ? 1 : 0;
        }
        return ownerRuns;
    }

    private static boolean isOneRun(List<long[]> runs) {
        List<long[]> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i)[0] != sorted.get(i - 1)[0] + sorted.get(i - 1)[1]) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }
}
