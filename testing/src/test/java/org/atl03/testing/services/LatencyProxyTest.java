package org.atl03.testing.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy adds at least its RTT to every request round trip (and one more RTT to a new connection), and counts the
 * traffic. Only minimum delays are asserted: the emulation must not be too fast; speed is the benchmarks' business.
 */
class LatencyProxyTest {

  @TempDir
  Path tmp;

  @Test
  void everyRoundTripTakesAtLeastTheRttAndANewConnectionOneMore() throws Exception {
    Files.createDirectories(tmp.resolve("www"));
    byte[] body = new byte[200_000];
    Files.write(tmp.resolve("www/f.bin"), body);
    Duration rtt = Duration.ofMillis(80);
    try (HttpFileServer server = HttpFileServer.start(tmp.resolve("www"), tmp.resolve("nginx"));
        LatencyProxy proxy = LatencyProxy.start(server.httpPort(), rtt)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/f.bin"))
          .header("Range", "bytes=0-99999").build();

      long first = System.nanoTime();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      Duration firstTook = Duration.ofNanos(System.nanoTime() - first);
      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.body()).hasSize(100_000);
      assertThat(firstTook).isGreaterThanOrEqualTo(rtt.multipliedBy(2)); // handshake + request

      for (int i = 0; i < 3; i++) { // the kept-alive connection: one RTT each
        long start = System.nanoTime();
        assertThat(client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(206);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(rtt);
      }

      LatencyProxy.Traffic traffic = proxy.traffic();
      assertThat(traffic.requests()).isEqualTo(4);
      assertThat(traffic.connections()).isEqualTo(1);
      assertThat(traffic.bytesDown()).isGreaterThan(4 * 100_000L);
      assertThat(traffic.bytesUp()).isGreaterThan(0);
    }
  }

  @Test
  void zeroRttForwardsUnchanged() throws Exception {
    Files.createDirectories(tmp.resolve("www"));
    byte[] body = new byte[1 << 20];
    new java.util.Random(3).nextBytes(body);
    Files.write(tmp.resolve("www/g.bin"), body);
    try (HttpFileServer server = HttpFileServer.start(tmp.resolve("www"), tmp.resolve("nginx"));
        LatencyProxy proxy = LatencyProxy.start(server.httpPort(), Duration.ZERO)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<byte[]> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/g.bin")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.body()).isEqualTo(body);
    }
  }
}
