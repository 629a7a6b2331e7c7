package org.atl03.jobs.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.atl03.jobs.Atl03;
import org.atl03.testing.generate.Generator;
import org.atl03.testing.generate.GeneratorOptions;
import org.atl03.testing.generate.Layout;
import org.atl03.testing.python.TestScripts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our kerchunk references, written by {@code convert --to refs}, read by the Python stack they are for: fsspec's
 * {@code reference://} file system and zarr (Debian 12's python3-zarr 2.13, python3-fsspec 2022.11) give, for every
 * numeric array of a synthetic granule, exactly what h5py reads from the HDF5 file (zarr_reads_refs.py).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZarrReadsOurRefsTest {

  /** Three 10,000-photon chunks per strong-beam photon dataset, one per weak beam's. */
  private static final long PHOTONS_PER_STRONG_BEAM = 30_000;
  private static final int BEAM_DATASETS = 6 * 80; // the template's inventory per beam, all numeric
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path tmp;
  private Path granule;

  @BeforeAll
  void generateGranule(@TempDir Path dir) throws Exception {
    assumeTrue(pythonHas("zarr", "fsspec", "h5py", "numpy"), Generator.DEFAULT_PYTHON + " lacks zarr, fsspec or "
        + "h5py (apt-get install python3-zarr python3-fsspec python3-h5py, or bin/ensure-system-deps): zarr "
        + "interop test skipped");
    Configurator.setLevel("io.jhdf", Level.WARN);
    tmp = dir;
    granule = Generator.generate(new GeneratorOptions(dir.resolve("granule"), 1, PHOTONS_PER_STRONG_BEAM, 21,
        Layout.V006)).get(0);
  }

  @Test
  void zarrReadsEveryNumericArrayOfOurRefsExactlyAsH5pyReadsTheGranule() throws Exception {
    Path refs = convertToRefs(granule.getParent(), tmp.resolve("refs"));
    JsonNode summary = TestScripts.json("zarr_reads_refs.py", "compare", refs.toString(),
        granule.toString());
    System.out.println("zarr_reads_refs.py compare: " + abbreviated(summary));

    int granuleArrays = summary.get("h5_numeric_datasets").asInt();
    assertThat(granuleArrays).isGreaterThan(BEAM_DATASETS);
    assertThat(summary.get("missing_in_refs")).as("numeric datasets without refs").isEmpty();
    assertThat(summary.get("extra_in_refs")).as("arrays the granule does not hold").isEmpty();
    assertThat(summary.get("zarr_arrays").asInt()).isEqualTo(granuleArrays).isEqualTo(zarrays(refs).size());
    assertThat(summary.get("arrays_compared").asInt()).isEqualTo(granuleArrays);
    assertThat(summary.get("elements_compared").asLong()).isGreaterThan(6 * PHOTONS_PER_STRONG_BEAM);
    assertThat(summary.get("differing")).as("arrays whose values differ from h5py's").isEmpty();
    assertThat(summary.get("mismatched_elements").asLong()).isZero();
  }

  /**
   * fsspec 2022.11's multi-key read pairs offset-sorted chunk bytes with the keys in request order, so zarr on the
   * plain FSMap swaps the chunks of an array stored out of key order; the one-key-at-a-time store does not. The
   * generator writes every array in key order, so one is rewritten last chunk first.
   */
  @Test
  void anArrayStoredOutOfKeyOrderReadsRightOneKeyAtATimeAndShowsWhetherThePlainFsmapSwapsItsChunks()
      throws Exception {
    Path original = convertToRefs(granule.getParent(), tmp.resolve("original-refs"));
    String array = strongBeamHeights(original);
    assertThat(chunkOffsets(original, array)).as(array + " chunk offsets, by key, as generated").isSorted();
    Path reversedDir = Files.createDirectories(tmp.resolve("reversed"));
    Path reversed = reversedDir.resolve(granule.getFileName());
    TestScripts.run("zarr_reads_refs.py", "reverse-chunks", granule.toString(), reversed.toString(), array);
    Path refs = convertToRefs(reversedDir, reversedDir);
    assertThat(chunkOffsets(refs, array)).as(array + " chunk offsets, by key, rewritten").hasSize(3)
        .isSortedAccordingTo((a, b) -> b.compareTo(a));

    JsonNode oneKey = TestScripts.json("zarr_reads_refs.py", "compare", refs.toString(), reversed.toString());
    assertThat(oneKey.get("arrays_compared").asInt()).isEqualTo(oneKey.get("h5_numeric_datasets").asInt());
    assertThat(oneKey.get("mismatched_elements").asLong()).as("one key at a time").isZero();

    JsonNode plain = TestScripts.json("zarr_reads_refs.py", "plain-fsmap", refs.toString(),
        reversed.toString(), array);
    System.out.println("zarr on the plain FSMap: " + plain);
    assertThat(plain.get("offsets_in_key_order").asBoolean()).isFalse();
    if (plain.get("mismatched_elements").asLong() > 0) {
      // the upstream bug reproduces: exactly the chunks' bytes handed out in offset order, nothing else wrong
      assertThat(plain.get("equals_offset_order_swap").asBoolean()).as("the plain FSMap's read is the chunks of "
          + "h5py's read in offset order").isTrue();
      assertThat(plain.get("mismatched_elements").asLong()).isEqualTo(2 * 10_000L); // chunks 0 and 2 swapped
    } else {
      System.out.println("fsspec " + plain.at("/versions/fsspec").asText() + " reads chunks stored out of key "
          + "order right through the plain FSMap: the multi-key swap does not reproduce");
    }
  }

  /** {@code ./atl03 convert --to refs --in DIR --out DIR}; returns the one refs file written. */
  private static Path convertToRefs(Path granules, Path out) throws IOException {
    assertThat(Atl03.run("convert", "--to", "refs", "--in", granules.toString(), "--out", out.toString()))
        .as("convert exit code").isZero();
    try (var files = Files.list(out)) {
      List<Path> refs = files.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
      assertThat(refs).hasSize(1);
      return refs.get(0);
    }
  }

  /** h_ph of the first strong beam: three chunks of 10,000 photons. */
  private static String strongBeamHeights(Path refs) throws IOException {
    JsonNode all = JSON.readTree(refs.toFile()).get("refs");
    for (String beam : List.of("gt1l", "gt1r", "gt2l", "gt2r", "gt3l", "gt3r")) {
      String array = beam + "/heights/h_ph";
      if (all.has(array + "/2") && !all.has(array + "/3")) {
        return array;
      }
    }
    throw new IllegalStateException("no beam's h_ph has three chunks in " + refs);
  }

  private static List<String> zarrays(Path refs) throws IOException {
    List<String> arrays = new ArrayList<>();
    Iterator<String> keys = JSON.readTree(refs.toFile()).get("refs").fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (key.endsWith("/.zarray")) {
        arrays.add(key);
      }
    }
    return arrays;
  }

  private static List<Long> chunkOffsets(Path refs, String array) throws IOException {
    JsonNode all = JSON.readTree(refs.toFile()).get("refs");
    List<Long> offsets = new ArrayList<>();
    for (int chunk = 0; all.has(array + "/" + chunk); chunk++) {
      offsets.add(all.get(array + "/" + chunk).get(1).asLong());
    }
    return offsets;
  }

  private static String abbreviated(JsonNode summary) {
    return summary.toString().length() > 2000 ? summary.toString().substring(0, 2000) + "…" : summary.toString();
  }

  private static boolean pythonHas(String... modules) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(Generator.DEFAULT_PYTHON, "-c", "import " + String.join(", ", modules))
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false; // no python at all
    }
  }
}
