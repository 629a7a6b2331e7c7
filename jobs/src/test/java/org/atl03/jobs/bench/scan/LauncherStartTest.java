package org.atl03.jobs.bench.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.atl03.jobs.bench.Timings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's start is timed on a stand-in launcher: every run counted once, never allowed to build. */
class LauncherStartTest {

  @Test
  void timesEachRunOfTheLauncherToldNotToBuild(@TempDir Path root) throws Exception {
    Path calls = root.resolve("calls");
    Path launcher = script(root, "[ \"$1\" = --help ] && [ \"$ATL03_NO_BUILD\" = 1 ] || exit 3\n"
        + "echo run >> '" + calls + "'\nsleep 0.05\n");

    assertThat(LauncherStart.launcher(root)).isEqualTo(launcher);
    Timings t = LauncherStart.help(launcher, 3);

    assertThat(t.seconds()).hasSize(3).allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(0.05));
    assertThat(Files.readAllLines(calls)).hasSize(4); // one discarded run first
  }

  @Test
  void aFailingLauncherIsAnErrorAndNoLauncherIsNone(@TempDir Path root) throws Exception {
    assertThat(LauncherStart.launcher(root)).isNull();
    Path launcher = script(root, "exit 7\n");
    assertThatThrownBy(() -> LauncherStart.help(launcher, 1)).hasMessageContaining("exit 7");
  }

  private static Path script(Path root, String body) throws Exception {
    Path launcher = root.resolve("atl03");
    Files.writeString(launcher, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return launcher;
  }
}
