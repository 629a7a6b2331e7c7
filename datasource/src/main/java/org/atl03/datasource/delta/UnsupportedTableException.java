package org.atl03.datasource.delta;

import java.io.IOException;

/** A Delta table using a feature this reader does not implement: the caller reads it another way. */
public final class UnsupportedTableException extends IOException {
  public UnsupportedTableException(String message) {
    super(message);
  }
}
