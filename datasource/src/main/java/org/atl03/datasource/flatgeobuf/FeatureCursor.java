package org.atl03.datasource.flatgeobuf;

import java.io.IOException;

/** Features one at a time; the returned view is reused by the next call. */
public interface FeatureCursor {

  /** The next feature, or null at the end. */
  FgbFeature next() throws IOException;

  /** Features decoded so far. */
  long featuresRead();
}
