package org.atl03.jobs.reliability;

import java.util.Arrays;

/**
 * One deterministic change to a file's bytes, described well enough to reproduce and to tell whether it touched
 * metadata or only chunk data.
 *
 * @param kind        what was done (truncate, bitflip, run00, runFF, absurd-int, json-…)
 * @param offset      the first byte changed (the new length for a truncation)
 * @param length      bytes changed
 * @param dataOnly    whether every changed byte lies inside stored chunk data (not metadata)
 * @param description human-readable, for reports
 */
record Mutation(String kind, long offset, int length, boolean dataOnly, String description, byte[] result) {

  @Override
  public String toString() {
    return description;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mutation m && m.description.equals(description) && Arrays.equals(m.result, result);
  }

  @Override
  public int hashCode() {
    return description.hashCode();
  }
}
