package org.atl03.datasource.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atl03.datasource.Fixtures;
import org.atl03.datasource.io.ByteArrayInputFile;
import org.atl03.datasource.io.ReadMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paged aggregation: the File Space Info of real files (the NASA fixture and copies h5repack wrote with each
 * strategy), corrupt superblocks and extensions, and the request count of opening a paged file.
 */
class PagedMetadataTest {

  private static final String GT1L = "atl03/ATL03_gt1l.h5";
  private static final String H5REPACK = "/usr/bin/h5repack";
  private static final int PAGE = 8 * 1024 * 1024;

  @TempDir
  static Path dir;

  private static Path original;
  private static Path paged;
  private static Path pagedLatest;

  @BeforeAll
  static void repack() throws Exception {
    original = Fixtures.shared(GT1L);
    assumeTrue(Files.isExecutable(Path.of(H5REPACK)), H5REPACK + " absent (apt install hdf5-tools): skipping");
    // HDF5's default bounds write superblock v2 and a version 1 object header as the extension; -L writes v3 and
    // a checksummed version 2 (OHDR) one. Both put the extension at 48, right after the superblock.
    paged = repack("paged.h5", "-S", "PAGE", "-G", Integer.toString(PAGE));
    pagedLatest = repack("paged-latest.h5", "-L", "-S", "PAGE", "-G", "1048576");
  }

  /** The NASA fixture copied by h5repack with {@code options}. */
  private static Path repack(String name, String... options) throws IOException, InterruptedException {
    Path out = dir.resolve(name);
    List<String> command = new ArrayList<>(List.of(H5REPACK));
    command.addAll(List.of(options));
    command.addAll(List.of(original.toString(), out.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed:\n" + output);
    }
    return out;
  }

  private static FileSpaceInfo info(Path file) throws IOException {
    try (var in = Fixtures.open(file)) {
      return FileSpaceInfo.read(in, 0);
    }
  }

  private static FileSpaceInfo info(byte[] bytes) throws IOException {
    return FileSpaceInfo.read(new ByteArrayInputFile("mem.h5", bytes), 0);
  }

  @Test
  void h5repackPagedCopyIsPagedWithItsPageSize() throws Exception {
    FileSpaceInfo info = info(paged);
    assertThat(info.strategy()).isEqualTo(FileSpaceInfo.Strategy.PAGE);
    assertThat(info.pageSize()).isEqualTo(PAGE);
    assertThat(info.paged()).isTrue();
    FileSpaceInfo latest = info(pagedLatest);
    assertThat(Files.readAllBytes(pagedLatest)[8]).as("superblock version").isEqualTo((byte) 3);
    assertThat(latest.strategy()).isEqualTo(FileSpaceInfo.Strategy.PAGE);
    assertThat(latest.pageSize()).isEqualTo(1 << 20);
    FileSpaceInfo small = info(repack("paged4k.h5", "-S", "PAGE", "-G", "4096"));
    assertThat(small.paged()).isTrue();
    assertThat(small.pageSize()).isEqualTo(4096);
  }

  @Test
  void otherStrategiesAreNotPaged() throws Exception {
    // persisting free space appends the free-space manager addresses to the message
    FileSpaceInfo persisted = info(repack("fsm.h5", "-S", "FSM_AGGR", "-P", "1", "-T", "7"));
    assertThat(persisted.strategy()).isEqualTo(FileSpaceInfo.Strategy.FSM_AGGR);
    assertThat(persisted.persistsFreeSpace()).isTrue();
    assertThat(persisted.freeSpaceThreshold()).isEqualTo(7);
    assertThat(persisted.paged()).isFalse();
    assertThat(info(repack("none.h5", "-S", "NONE")).strategy()).isEqualTo(FileSpaceInfo.Strategy.NONE);
  }

  @Test
  void nasaFixtureHasNoExtensionAndIsNotPaged() throws Exception {
    // HDF5 1.10.7 wrote it with superblock v2 and an undefined extension address
    assertThat(Files.readAllBytes(original)[8]).isEqualTo((byte) 2);
    assertThat(info(original)).isEqualTo(FileSpaceInfo.DEFAULT);
  }

  @Test
  void superblockV0IsNeverPaged() throws Exception {
    byte[] v0 = Arrays.copyOf(Files.readAllBytes(paged), 64);
    v0[8] = 0; // versions 0 and 1 have no extension; the rest is not parsed
    assertThat(info(v0)).isEqualTo(FileSpaceInfo.DEFAULT);
  }

  @Test
  void truncatedOrCorruptMetadataIsAClearError() throws Exception {
    byte[] file = Arrays.copyOf(Files.readAllBytes(paged), 4096);
    assertThatThrownBy(() -> info(Arrays.copyOf(file, 20))).isInstanceOf(IOException.class)
        .hasMessageContaining("mem.h5: superblock at 0: truncated");
    assertThatThrownBy(() -> info(Arrays.copyOf(file, 60))).isInstanceOf(IOException.class)
        .hasMessageContaining("mem.h5: superblock extension object header at 48 lies outside the file");

    byte[] badSize = file.clone();
    badSize[9] = 3;
    assertThatThrownBy(() -> info(badSize)).hasMessageContaining("size of offsets is 3 (expected 2, 4 or 8)");

    byte[] badSuperblock = file.clone();
    badSuperblock[30] ^= 1; // inside the EOF address: caught by the checksum
    assertThatThrownBy(() -> info(badSuperblock)).hasMessageContaining("superblock at 0: checksum mismatch");

    byte[] notAHeader = file.clone();
    notAHeader[48] = 'X';
    assertThatThrownBy(() -> info(notAHeader)).hasMessageContaining("neither a version 1 object header");

    byte[] longMessage = file.clone();
    longMessage[48 + 16 + 2] = (byte) 0xff; // the first message's size field (version 1 header)
    longMessage[48 + 16 + 3] = (byte) 0xff;
    assertThatThrownBy(() -> info(longMessage))
        .hasMessageContaining("message of type 23 claims 65535 bytes, past the end of its chunk");

    byte[] latest = Arrays.copyOf(Files.readAllBytes(pagedLatest), 4096);
    byte[] badExtension = latest.clone();
    badExtension[48 + 30] ^= 1; // a byte of the OHDR's File Space Info message
    assertThatThrownBy(() -> info(badExtension))
        .hasMessageContaining("superblock extension object header at 48: checksum mismatch");
    byte[] oldOhdr = latest.clone();
    oldOhdr[48 + 4] = 1;
    assertThatThrownBy(() -> info(oldOhdr)).hasMessageContaining("OHDR object header version 1, expected 2");

    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    assertThatThrownBy(() -> info(garbage)).hasMessageContaining("no HDF5 signature");
  }

  @Test
  void corruptExtensionStillOpensThroughConfiguredBlocks() throws Exception {
    byte[] bytes = Files.readAllBytes(paged);
    bytes[48] = 'X'; // jhdf 0.13 does not read the extension, so the file stays readable
    try (Hdf5File f = Hdf5File.open(new ByteArrayInputFile("corrupt-extension.h5", bytes))) {
      assertThat(f.metadataBlockSize()).isEqualTo(ReadOptions.DEFAULT.metadataBlockSize());
      assertThat(f.dataset("/gt1l/heights/h_ph").rows()).isEqualTo(2_909);
    }
  }

  @Test
  void pagedGranuleOpensAndReadsABeamInFewRequestsWithIdenticalValues() throws Exception {
    String hPh = "/gt1l/heights/h_ph";
    java.nio.ByteBuffer expected;
    long unpagedRequests;
    ReadMetrics originalMetrics = new ReadMetrics();
    try (Hdf5File f = Hdf5File.open(originalMetrics.meter(Fixtures.open(original)));
         DatasetReader r = f.reader(hPh)) {
      assertThat(f.metadataBlockSize()).isEqualTo(ReadOptions.DEFAULT.metadataBlockSize());
      expected = r.read(0, r.rows());
      unpagedRequests = originalMetrics.requests();
    }
    ReadMetrics metrics = new ReadMetrics();
    try (Hdf5File f = Hdf5File.open(metrics.meter(Fixtures.open(paged)));
         DatasetReader r = f.reader(hPh)) {
      assertThat(f.metadataBlockSize()).isEqualTo(PAGE);
      long metadataRequests = metrics.requests();
      assertThat(r.read(0, r.rows())).isEqualTo(expected);
      // the 64 KiB superblock probe and the metadata page; then one request for h_ph's only chunk
      assertThat(metadataRequests).isLessThanOrEqualTo(2);
      assertThat(metrics.requests() - metadataRequests).isEqualTo(1);
    }
    assertThat(metrics.requests()).isLessThan(unpagedRequests);
  }
}
