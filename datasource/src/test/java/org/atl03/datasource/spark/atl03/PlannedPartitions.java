package org.atl03.datasource.spark.atl03;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.atl03.datasource.atl03.PhotonRange;

/**
 * Test access to the atl03 source's planning (package-private) from other modules' tests: the partitions a scan
 * with these options and pushed filters would run, computed on the driver without running a query. Needs an
 * active SparkSession.
 */
public final class PlannedPartitions {

  /** One planned partition: a chunk-aligned window of a beam and the photon ranges it returns. */
  public record Planned(String granule, String beam, String beamStrength, PhotonRange window,
      List<PhotonRange> ranges) {
    public long photons() {
      return PhotonRange.totalLength(ranges);
    }
  }

  private PlannedPartitions() {}

  public static List<Planned> plan(Map<String, String> options, Filter... filters) {
    Atl03Table table = (Atl03Table) new Atl03DataSource().getTable(null, null, options);
    Atl03ScanBuilder builder = (Atl03ScanBuilder) table.newScanBuilder(CaseInsensitiveStringMap.empty());
    builder.pushFilters(filters);
    List<Planned> planned = new ArrayList<>();
    for (InputPartition p : builder.build().toBatch().planInputPartitions()) {
      Atl03InputPartition a = (Atl03InputPartition) p;
      planned.add(new Planned(a.granule(), a.beam(), a.beamStrength(), a.window(), a.ranges()));
    }
    return planned;
  }
}
