package org.atl03.architecturebroken.atl03;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/** Breaks "no Hadoop type in the domain API", in a return type and in a parameter's type argument. */
public class ExposesHadoop {
  private final Configuration hiddenConf = new Configuration(false); // inside: allowed

  public Configuration conf() {
    return hiddenConf;
  }

  public static void open(List<FileStatus> files) {}
}
