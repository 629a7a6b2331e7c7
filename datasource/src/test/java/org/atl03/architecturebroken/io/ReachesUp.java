package org.atl03.architecturebroken.io;

import org.atl03.architecturebroken.atl03.ExposesHadoop;

/** Breaks the direction: the byte seam using the domain. */
public class ReachesUp {
  public ExposesHadoop domain;
}
