package org.atl03.jobs.convert;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory published atomically: written under {@code NAME._tmp-<uuid>} beside the final name, then
 * renamed to {@code NAME}. A failed or killed run leaves only the temporary name; an existing {@code NAME} is moved
 * aside ({@code NAME._old-<uuid>}) just before the rename and deleted after it, so readers see the old or the new
 * output, never a partial one. The rename is atomic on local disks and HDFS; on S3 it is a copy (see docs/formats.md).
 */
final class AtomicDirectory {

  private final FileSystem fs;
  private final Path target;
  private final Path temporary;

  private AtomicDirectory(FileSystem fs, Path target, Path temporary) {
    this.fs = fs;
    this.target = target;
    this.temporary = temporary;
  }

  /** A fresh temporary directory name for {@code out/name} (not created: Spark and Delta create it). */
  static AtomicDirectory begin(Configuration conf, String out, String name) throws IOException {
    Path target = new Path(out, name);
    FileSystem fs = target.getFileSystem(conf);
    Path temporary = new Path(out, name + "._tmp-" + UUID.randomUUID());
    return new AtomicDirectory(fs, fs.makeQualified(target), fs.makeQualified(temporary));
  }

  /** Where the writer writes. */
  String temporary() {
    return temporary.toString();
  }

  String target() {
    return target.toString();
  }

  /** Publishes the temporary directory under the final name. */
  void commit() throws IOException {
    if (!fs.getFileStatus(temporary).isDirectory()) {
      throw new IOException("nothing written to " + temporary);
    }
    Path old = null;
    if (fs.exists(target)) {
      old = new Path(target.getParent(), target.getName() + "._old-" + UUID.randomUUID());
      if (!fs.rename(target, old)) {
        throw new IOException("cannot move the previous output " + target + " aside to " + old);
      }
    }
    if (!fs.rename(temporary, target)) {
      if (old != null) {
        fs.rename(old, target);
      }
      throw new IOException("cannot rename " + temporary + " to " + target);
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  /** Removes what a failed run wrote; never throws over the original failure. */
  void abort(Throwable cause) {
    try {
      fs.delete(temporary, true);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
