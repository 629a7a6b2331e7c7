package org.atl03.jobs.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;

/** What every target shares: the unmutated bytes, the file its mutants are written to, and how they are made. */
abstract class MutatedFileTarget implements FuzzTarget {

  /** Makes one mutant of the original bytes from the case's random source. */
  interface Mutator {
    Mutation next(Random rnd);
  }

  private final String kind;
  protected final String name;
  protected final byte[] original;
  protected final Path file; // where mutants are written, under the original's name
  protected final Configuration conf;
  private Mutator mutator;

  MutatedFileTarget(String kind, Path source, Path workDir, Configuration conf) throws IOException {
    this.kind = kind;
    this.name = source.getFileName().toString();
    this.original = Files.readAllBytes(source);
    this.file = Files.createDirectories(workDir).resolve(name);
    this.conf = conf;
  }

  /** Called once by the subclass's constructor, which may need the file written first (HDF5's chunk ranges). */
  protected final void mutateWith(Mutator mutator) {
    this.mutator = mutator;
  }

  @Override
  public String name() {
    return kind + ":" + name;
  }

  @Override
  public String fileName() {
    return name;
  }

  @Override
  public byte[] original() {
    return original.clone();
  }

  @Override
  public Mutation mutate(Random rnd) {
    return mutator.next(rnd);
  }
}
