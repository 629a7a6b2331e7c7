package org.atl03.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.atl03.testing.services.S3Server;

/**
 * bin/standalone-cluster's S3 side: starts the project's loopback S3 server ({@link S3Server}, s3proxy in a JVM of
 * its own), uploads the granules through s3a, writes SETTINGS (the granules' s3a URL, the Spark settings that point
 * s3a at the server, the server's pid), then serves until this JVM is stopped, which stops the server.
 *
 * <p>Usage: {@code LoopbackS3 DIR SETTINGS GRANULE...} (needs -Datl03.root and hadoop-aws on the class path).
 */
public final class LoopbackS3 {

  private LoopbackS3() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: LoopbackS3 DIR SETTINGS GRANULE...");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Path settings = Path.of(args[1]);
    S3Server server = S3Server.start(dir);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "loopback-s3-stop"));
    try {
      for (int i = 2; i < args.length; i++) {
        Path granule = Path.of(args[i]);
        server.upload(granule, "granules/" + granule.getFileName());
      }
      writeSettings(server, settings);
    } catch (IOException | RuntimeException e) {
      System.err.println("LoopbackS3: " + e);
      System.exit(1);
    }
    System.err.println("LoopbackS3: " + server + " holds " + (args.length - 2) + " granule(s)");
    new CountDownLatch(1).await();
  }

  /** key=value lines, written whole (the script waits for the file to appear). */
  private static void writeSettings(S3Server server, Path settings) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("url=" + server.url("granules/"));
    ProcessHandle.current().children().forEach(p -> lines.add("pid=" + p.pid()));
    server.s3aSettings(server.endpoint()).forEach((k, v) -> lines.add("spark.hadoop." + k + "=" + v));
    Path temporary = settings.resolveSibling(settings.getFileName() + ".tmp");
    Files.write(temporary, lines, StandardCharsets.UTF_8);
    Files.move(temporary, settings, StandardCopyOption.ATOMIC_MOVE);
  }
}
