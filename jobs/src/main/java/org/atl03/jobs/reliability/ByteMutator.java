package org.atl03.jobs.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Byte-level mutations of a binary file: truncations, bit flips, runs of 0x00 / 0xFF, and "absurd integers"
 * (sizes, counts, dimensions, addresses set to 0, -1, 2^31, 2^40 …) written into metadata, near the signatures of
 * HDF5's structures (object headers, B-trees, heaps) where sizes and counts live. Which bytes are chunk data is
 * known, so a mutation can aim at metadata and report whether it touched data only.
 */
final class ByteMutator implements MutatedFileTarget.Mutator {

  /** HDF5 structure signatures: the fields after them are versions, sizes, counts and addresses. */
  private static final List<String> SIGNATURES = List.of("OHDR", "OCHK", "TREE", "HEAP", "SNOD", "GCOL", "FRHP",
      "FHDB", "FHIB", "BTHD", "BTIN", "BTLF", "FAHD", "FADB", "EAHD", "EAIB", "EASB", "EADB", "\u0089HDF");

  private static final long[] ABSURD = {0, 1, -1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFFL, 0x80000000L,
      0xFFFFFFFFL, 1L << 32, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, 0x7FFFFFF0L};

  private final byte[] original;
  private final long[][] dataRanges; // sorted [start, end) of stored chunk bytes
  private final int[] structures;     // offsets of structure signatures
  private final int[] metadataBytes;  // sample of offsets outside chunk data, for aiming

  ByteMutator(byte[] original, List<long[]> dataRanges, boolean hdf5) {
    this.original = original;
    List<long[]> sorted = new ArrayList<>(dataRanges);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    this.dataRanges = sorted.toArray(new long[0][]);
    this.structures = hdf5 ? findSignatures(original) : new int[0];
    List<Integer> meta = new ArrayList<>();
    for (int i = 0; i < original.length; i++) {
      if (!inData(i)) {
        meta.add(i);
      }
    }
    this.metadataBytes = meta.stream().mapToInt(Integer::intValue).toArray();
  }

  int structureCount() {
    return structures.length;
  }

  long metadataByteCount() {
    return metadataBytes.length;
  }

  @Override
  public Mutation next(Random rnd) {
    int pick = rnd.nextInt(100);
    if (pick < 10) {
      int at = rnd.nextInt(original.length);
      return new Mutation("truncate", at, original.length - at, false, "truncate to " + at + " bytes",
          Arrays.copyOf(original, at));
    }
    if (pick < 35 && structures.length > 0) {
      int at = structures[rnd.nextInt(structures.length)] + 4 + rnd.nextInt(60);
      return absurd(rnd, Math.min(at, original.length - 1), "structure");
    }
    if (pick < 60) {
      return absurd(rnd, aim(rnd, true), "metadata");
    }
    if (pick < 75) {
      return bitflips(rnd, aim(rnd, true));
    }
    if (pick < 88) {
      return bitflips(rnd, aim(rnd, false));
    }
    return run(rnd, rnd.nextInt(original.length));
  }

  /** An offset in metadata ({@code metadata}) or anywhere (else). */
  private int aim(Random rnd, boolean metadata) {
    if (metadata && metadataBytes.length > 0) {
      return metadataBytes[rnd.nextInt(metadataBytes.length)];
    }
    return rnd.nextInt(original.length);
  }

  private Mutation absurd(Random rnd, int at, String where) {
    int width = new int[] {1, 2, 4, 8}[rnd.nextInt(4)];
    width = Math.min(width, original.length - at);
    long value = ABSURD[rnd.nextInt(ABSURD.length)];
    byte[] out = original.clone();
    for (int i = 0; i < width; i++) {
      out[at + i] = (byte) (value >>> (8 * i));
    }
    return new Mutation("absurd-int", at, width, allData(at, width), "absurd " + width + "-byte int " + value
        + " at " + at + " (" + where + ")", out);
  }

  private Mutation bitflips(Random rnd, int at) {
    byte[] out = original.clone();
    int flips = 1 + rnd.nextInt(8);
    int span = Math.min(64, original.length - at);
    StringBuilder d = new StringBuilder("flip");
    boolean data = true;
    for (int i = 0; i < flips; i++) {
      int pos = at + rnd.nextInt(span);
      int bit = rnd.nextInt(8);
      out[pos] ^= (byte) (1 << bit);
      data &= inData(pos);
      d.append(' ').append(pos).append(':').append(bit);
    }
    return new Mutation("bitflip", at, span, data, d.toString(), out);
  }

  private Mutation run(Random rnd, int at) {
    byte[] out = original.clone();
    int len = Math.min(1 + rnd.nextInt(64), original.length - at);
    byte value = rnd.nextBoolean() ? 0 : (byte) 0xFF;
    Arrays.fill(out, at, at + len, value);
    return new Mutation(value == 0 ? "run00" : "runFF", at, len, allData(at, len),
        "set " + len + " bytes at " + at + " to " + (value == 0 ? "0x00" : "0xFF"), out);
  }

  private boolean allData(int at, int len) {
    for (int i = at; i < at + len; i++) {
      if (!inData(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean inData(long pos) {
    int lo = 0;
    int hi = dataRanges.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (dataRanges[mid][1] <= pos) {
        lo = mid + 1;
      } else if (dataRanges[mid][0] > pos) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  private static int[] findSignatures(byte[] bytes) {
    List<Integer> found = new ArrayList<>();
    for (String sig : SIGNATURES) {
      byte[] s = sig.getBytes(StandardCharsets.ISO_8859_1);
      outer:
      for (int i = 0; i + s.length <= bytes.length; i++) {
        for (int j = 0; j < s.length; j++) {
          if (bytes[i + j] != s[j]) {
            continue outer;
          }
        }
        found.add(i);
      }
    }
    return found.stream().mapToInt(Integer::intValue).sorted().toArray();
  }
}
