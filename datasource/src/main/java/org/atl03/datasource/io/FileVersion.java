package org.atl03.datasource.io;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which version of a file something was made from: its size, modification time (ms since the epoch, 0 when the
 * store keeps none) and, where the store gives one, its ETag. Two versions differ when any known part differs.
 */
public record FileVersion(long length, long modificationTime, String etag) implements Serializable {

  public boolean sameAs(FileVersion other) {
    return length == other.length && modificationTime == other.modificationTime
        && Objects.equals(etag, other.etag);
  }

  public String describe() {
    return length + " bytes, modified " + java.time.Instant.ofEpochMilli(modificationTime)
        + (etag == null ? "" : ", ETag " + etag);
  }
}
