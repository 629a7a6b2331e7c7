package org.atl03.datasource.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** A storage failure anywhere in the cause chain counts; a file's own faults (short, malformed) do not. */
class StorageFailuresTest {

  @Test
  void networkAndStoreClientExceptionsAreStorageFailures() {
    assertThat(StorageFailures.isStorageFailure(new SocketException("Connection reset"))).isTrue();
    assertThat(StorageFailures.isStorageFailure(new IllegalStateException("object x: Failed to load children",
        new UncheckedIOException(new IOException("s3a://b/k: read failed", new SocketException("reset")))))).isTrue();
    assertThat(StorageFailures.isStorageFailure(new java.net.SocketTimeoutException("read timed out"))).isTrue();
  }

  @Test
  void corruptOrShortFilesAreNot() {
    assertThat(StorageFailures.isStorageFailure(new EOFException("past the end of the file"))).isFalse();
    assertThat(StorageFailures.isStorageFailure(new IllegalStateException("corrupt or unsupported HDF5 metadata",
        new java.nio.BufferUnderflowException()))).isFalse();
    assertThat(StorageFailures.isStorageFailure(new IOException("not a readable HDF5 file"))).isFalse();
  }
}
