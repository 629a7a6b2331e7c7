package org.atl03.datasource.io;

import java.io.IOException;

/** A file is no longer the version something was made from (an index, a catalog): it changed or went away. */
public final class StaleFileException extends IOException {

  public StaleFileException(String message) {
    super(message);
  }

  public StaleFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
