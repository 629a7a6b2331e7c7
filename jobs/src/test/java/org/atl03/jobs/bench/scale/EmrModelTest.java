package org.atl03.jobs.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmrModelTest {

  private static final EmrModel.Inputs IN = new EmrModel.Inputs(3e6, 0.8, 0.03, 0.007, 0.6, 14.0);

  @Test
  void scansAreBoundByTheSlowerOfCpuAndNetworkAndPlanningFromFilesGrowsWithTheGranules() {
    List<EmrModel.Row> rows = EmrModel.rows(IN);
    assertThat(rows).hasSize(3 * EmrModel.NODES.length);
    for (EmrModel.Row r : rows) {
      int cores = r.nodes() * EmrModel.CORES_PER_NODE;
      double cpu = r.photons() / (IN.photonsPerSecondPerCore() * cores * IN.twoCoreEfficiency());
      double network = r.photons() * EmrModel.BYTES_PER_PHOTON / (r.nodes() * EmrModel.NODE_BYTES_PER_SECOND);
      assertThat(r.scanSeconds()).isGreaterThanOrEqualTo(Math.max(cpu, network) - 1e-9);
      assertThat(r.bound()).isEqualTo(r.scanSeconds() == network ? "network" : "CPU");
      assertThat(r.planningCatalog()).isEqualTo(IN.catalogPlanning());
    }
    EmrModel.Row bbox = rows.stream().filter(r -> r.workload().contains("bbox") && r.nodes() == 20).findFirst()
        .orElseThrow();
    // a bbox of one granule is one core's work however large the cluster, planned per granule from the files
    assertThat(bbox.scanSeconds()).isCloseTo(0.01 * EmrModel.ARCHIVE_GRANULE_PHOTONS / 3e6, within(1e-9));
    assertThat(bbox.planningFiles()).isCloseTo(EmrModel.MANY_GRANULES * 0.03, within(1e-9));
    EmrModel.Row one = rows.stream().filter(r -> r.workload().startsWith("10,000 granules, full") && r.nodes() == 1)
        .findFirst().orElseThrow();
    EmrModel.Row twenty = rows.stream().filter(r -> r.workload().startsWith("10,000 granules, full")
        && r.nodes() == 20).findFirst().orElseThrow();
    assertThat(one.scanSeconds() / twenty.scanSeconds()).isCloseTo(20, within(1e-6));
    assertThat(EmrModel.markdown(IN, rows)).contains("| hackweek: 5 × 7 GB, full scan | 1 |")
        .contains("500,000-granule archive");
  }
}
