package org.atl03.testing.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.atl03.testing.services.FaultProxy.Fault;
import org.atl03.testing.services.FaultProxy.Rates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each fault as a client sees it, over raw sockets (an HTTP client library would retry and hide it), with ranged
 * GETs answered 206 by nginx behind the proxy; and the draws reproducible from the seed.
 */
class FaultProxyTest {

  private static final Duration SLOW = Duration.ofMillis(300);

  @TempDir
  static Path tmp;
  static HttpFileServer server;
  static byte[] file;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(tmp.resolve("www"));
    file = new byte[300_000];
    new Random(7).nextBytes(file);
    Files.write(tmp.resolve("www/f.bin"), file);
    server = HttpFileServer.start(tmp.resolve("www"), tmp.resolve("nginx"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** One exchange on a kept-alive connection. */
  private record Reply(int status, byte[] body) {}

  private static final class Client implements AutoCloseable {
    final Socket socket;
    final InputStream in;

    Client(FaultProxy proxy) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
      socket.setSoTimeout(10_000);
      in = new BufferedInputStream(socket.getInputStream());
    }

    Reply get(long from, long to) throws IOException {
      socket.getOutputStream().write(("GET /f.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=" + from + "-" + to
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      FaultProxy.Head head = FaultProxy.Head.read(in);
      if (head == null) {
        throw new IOException("connection ended before the response");
      }
      byte[] body = in.readNBytes((int) head.contentLength());
      if (body.length < head.contentLength()) {
        throw new IOException("short body: " + body.length + " of " + head.contentLength());
      }
      return new Reply(head.status(), body);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static byte[] slice(long from, long to) {
    return java.util.Arrays.copyOfRange(file, (int) from, (int) to + 1);
  }

  @Test
  void withoutFaultsRangedGetsPassUnchangedOnOneConnection() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(server.httpPort(), Rates.each(0, SLOW), 1);
        Client c = new Client(proxy)) {
      for (int i = 0; i < 20; i++) {
        Reply r = c.get(i * 10_000L, i * 10_000L + 9_999);
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(slice(i * 10_000L, i * 10_000L + 9_999));
      }
      assertThat(proxy.counts().requests()).isEqualTo(20);
      assertThat(proxy.counts().faults()).isZero();
    }
  }

  @Test
  void slowDownIsAn503WithS3sXmlErrorAndTheConnectionStaysUsable() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(server.httpPort(), Rates.only(Fault.SLOW_DOWN, 1, SLOW), 1);
        Client c = new Client(proxy)) {
      Reply r = c.get(0, 99);
      assertThat(r.status()).isEqualTo(503);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<Error><Code>SlowDown</Code>")
          .contains("<Resource>/f.bin</Resource>");
      proxy.setRates(Rates.each(0, SLOW));
      assertThat(c.get(0, 99).body()).isEqualTo(slice(0, 99)); // same connection
      assertThat(proxy.counts().injected().get(Fault.SLOW_DOWN)).isEqualTo(1);
      assertThat(proxy.counts().requests()).isEqualTo(2);
    }
  }

  @Test
  void resetBeforeResponseEndsTheConnectionWithNoByte() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(server.httpPort(), Rates.only(Fault.RESET_BEFORE_RESPONSE, 1, SLOW), 1);
        Client c = new Client(proxy)) {
      assertThatThrownBy(() -> c.get(0, 99)).isInstanceOf(IOException.class);
      assertThat(proxy.counts().injected().get(Fault.RESET_BEFORE_RESPONSE)).isEqualTo(1);
    }
  }

  @Test
  void resetMidBodyDeliversTheHeadAndHalfThe206Body() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(server.httpPort(), Rates.only(Fault.RESET_MID_BODY, 1, SLOW), 1);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /f.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-199999\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = new BufferedInputStream(s.getInputStream());
      FaultProxy.Head head = FaultProxy.Head.read(in);
      assertThat(head.status()).isEqualTo(206);
      assertThat(head.contentLength()).isEqualTo(200_000);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
        }
      } catch (IOException reset) {
        // expected: the reset, possibly before every relayed byte was read
      }
      assertThat(got.size()).isLessThanOrEqualTo(100_000).isLessThan(200_000);
      byte[] part = got.toByteArray();
      assertThat(part).isEqualTo(slice(0, part.length - 1)); // what came is right, just short
      assertThat(proxy.counts().injected().get(Fault.RESET_MID_BODY)).isEqualTo(1);
    }
  }

  @Test
  void aSlowResponseArrivesIntactAfterTheDelay() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(server.httpPort(), Rates.only(Fault.SLOW_RESPONSE, 1, SLOW), 1);
        Client c = new Client(proxy)) {
      long start = System.nanoTime();
      Reply r = c.get(1000, 50_999);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SLOW);
      assertThat(r.body()).isEqualTo(slice(1000, 50_999));
      assertThat(proxy.counts().injected().get(Fault.SLOW_RESPONSE)).isEqualTo(1);
    }
  }

  /** Each request's outcome on a fresh connection: the status, or the fault a client could only see as an error. */
  private static List<String> outcomes(long seed, int n) throws Exception {
    List<String> seen = new ArrayList<>();
    try (FaultProxy proxy = FaultProxy.start(server.httpPort(), Rates.each(0.1, Duration.ZERO), seed)) {
      for (int i = 0; i < n; i++) {
        try (Client c = new Client(proxy)) {
          Reply r = c.get(0, 9_999);
          seen.add(r.status() + (r.status() == 206 && !java.util.Arrays.equals(r.body(), slice(0, 9_999)) ? "!" : ""));
        } catch (IOException e) {
          seen.add("error");
        }
      }
      FaultProxy.Counts counts = proxy.counts();
      assertThat(counts.requests()).isEqualTo(n);
      for (Fault f : Fault.values()) {
        assertThat(counts.injected().get(f)).as(f.name()).isPositive();
      }
      assertThat(seen.stream().filter("503"::equals).count()).isEqualTo(counts.injected().get(Fault.SLOW_DOWN));
      assertThat(seen.stream().filter("error"::equals).count())
          .isEqualTo(counts.injected().get(Fault.RESET_BEFORE_RESPONSE) + counts.injected().get(Fault.RESET_MID_BODY));
    }
    assertThat(seen).doesNotContain("206!"); // a body that arrives whole is never altered
    return seen;
  }

  @Test
  void theSameSeedInjectsTheSameFaultsInTheSameOrder() throws Exception {
    List<String> first = outcomes(42, 120);
    assertThat(outcomes(42, 120)).isEqualTo(first);
    assertThat(outcomes(43, 120)).isNotEqualTo(first);
  }

  @Test
  void ratesAreChecked() {
    assertThatThrownBy(() -> Rates.each(0.3, SLOW)).hasMessageContaining("add up to");
    assertThatThrownBy(() -> Rates.only(Fault.SLOW_DOWN, -0.1, SLOW)).hasMessageContaining("not within");
    assertThat(Rates.each(0.25, SLOW).pick(0.99)).isEqualTo(Fault.SLOW_RESPONSE);
    assertThat(Rates.each(0.1, SLOW).pick(0.45)).isNull();
  }
}
