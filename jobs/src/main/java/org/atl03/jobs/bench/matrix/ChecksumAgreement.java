package org.atl03.jobs.bench.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether every measured cell of a query returned the same photons: equal count and equal checksums of every
 * column. The reference result of a group is that of {@code atl03} on the original HDF5 when it ran, else the one
 * most cells returned; every other result is a disagreement, named by cell and column.
 */
final class ChecksumAgreement {

  /** A cell whose result differs from its group's reference. */
  record Disagreement(String group, String cell, String reference, List<String> differences) {
    String describe() {
      return cell + " disagrees with " + reference + ": " + String.join(", ", differences);
    }
  }

  /** Per group: the reference cell, its result, how many cells agree; and the disagreements. */
  record Outcome(Map<String, Map<String, Object>> groups, List<Disagreement> disagreements) {
    boolean agree() {
      return disagreements.isEmpty();
    }
  }

  private ChecksumAgreement() {}

  static Outcome check(List<CellResult> results) {
    Map<String, List<CellResult>> byGroup = new LinkedHashMap<>();
    for (CellResult r : results) {
      if (r.status() == CellResult.Status.OK) {
        byGroup.computeIfAbsent(r.cell().agreementGroup(), k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    List<Disagreement> disagreements = new ArrayList<>();
    byGroup.forEach((group, cells) -> {
      CellResult reference = reference(cells);
      int agreeing = 0;
      for (CellResult r : cells) {
        if (r.measured().result().agreesWith(reference.measured().result())) {
          agreeing++;
        } else {
          disagreements.add(new Disagreement(group, r.cell().id(), reference.cell().id(),
              r.measured().result().differences(reference.measured().result())));
        }
      }
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("reference_cell", reference.cell().id());
      g.put("cells", cells.size());
      g.put("agreeing_cells", agreeing);
      g.put("result", reference.measured().result().toJson());
      groups.put(group, g);
    });
    return new Outcome(groups, disagreements);
  }

  private static CellResult reference(List<CellResult> cells) {
    for (CellResult r : cells) {
      if (r.cell().reader().equals("atl03") && r.cell().format() == BenchFormat.HDF5) {
        return r;
      }
    }
    CellResult best = cells.get(0);
    int bestCount = -1;
    for (CellResult candidate : cells) {
      int count = 0;
      for (CellResult r : cells) {
        if (r.measured().result().agreesWith(candidate.measured().result())) {
          count++;
        }
      }
      if (count > bestCount) {
        best = candidate;
        bestCount = count;
      }
    }
    return best;
  }
}
