package org.atl03.jobs;

import java.nio.file.Path;
import org.atl03.jobs.bench.cloud.CloudBenchCommand;
import org.atl03.jobs.bench.convert.ConvertBenchCommand;
import org.atl03.jobs.bench.matrix.BenchCommand;
import org.atl03.jobs.bench.matrix.PipelineCommand;
import org.atl03.jobs.bench.scan.ScanBenchCommand;
import org.atl03.jobs.convert.ConvertCommand;
import org.atl03.jobs.sql.SqlCommand;
import org.atl03.jobs.verify.VerifyCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The `./atl03` launcher's entry point; also the Main-Class of the spark-submit jar. */
@Command(
    name = "atl03",
    mixinStandardHelpOptions = true,
    versionProvider = Atl03.Version.class,
    description = "Cloud-optimized access to ICESat-2 ATL03 photon data on Apache Spark.",
    subcommands = {
      PipelineCommand.class,
      GenerateCommand.class,
      ScanCommand.class,
      SqlCommand.class,
      BenchCommand.class,
      ScanBenchCommand.class,
      CloudBenchCommand.class,
      ConvertBenchCommand.class,
      org.atl03.jobs.bench.scale.ScaleBenchCommand.class,
      org.atl03.jobs.bench.scale.ScalingScanCommand.class,
      org.atl03.jobs.bench.scale.ArchivePlanCommand.class,
      org.atl03.jobs.bench.heap.HeapBenchCommand.class,
      ConvertCommand.class,
      org.atl03.jobs.catalog.IndexCommand.class,
      VerifyCommand.class,
      org.atl03.jobs.reliability.ReliabilityCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Atl03 implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** -Datl03.root (./atl03 and the tests set it), else the working directory: read once, here, for every job. */
  private final Path root = Path.of(System.getProperty("atl03.root", "."));

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return new CommandLine(new Atl03())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Atl03::reportFailure)
        .execute(args);
  }

  /** A failed job says what failed in one line (the cause chain's messages); ATL03_DEBUG=1 adds the stack trace. */
  private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    StringBuilder message = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (message.length() == 0 || !message.toString().contains(m))) {
        message.append(message.length() == 0 ? "" : "\n  caused by: ").append(m);
      }
    }
    cmd.getErr().println("atl03 " + cmd.getCommandName() + ": " + (message.length() == 0 ? e : message));
    if (System.getenv("ATL03_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    return 1;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The checkout: jobs record its git state in their provenance and find its conf/ files from anywhere. */
  public Path root() {
    return root;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Atl03.class.getPackage().getImplementationVersion();
      return new String[] {"atl03-spark " + (version == null ? "(development build)" : version)};
    }
  }
}
