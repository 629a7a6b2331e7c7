package org.atl03.testing.services;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An unreliable S3 endpoint on loopback: an HTTP/1.1 proxy in front of a server (e.g. {@link S3Server}) that, per
 * request, injects one of the {@link Fault}s at set rates or passes the exchange through unchanged. It speaks HTTP
 * one exchange at a time per kept-alive connection (as s3a's client uses it), relaying Content-Length and chunked
 * bodies, so a fault hits a whole request: a 503 SlowDown with S3's XML error body, a connection reset before the
 * response, a reset part-way through the response body (after half of a ranged GET's 206 body), or a response whose
 * first byte is held back. The decisions come from one seeded generator in request order, so a run with one client
 * thread is reproducible; it counts requests and each fault injected.
 */
public final class FaultProxy implements AutoCloseable {

  /** What can go wrong with one request. */
  public enum Fault {
    SLOW_DOWN("503 SlowDown with S3's XML error body, connection kept"),
    RESET_BEFORE_RESPONSE("TCP reset after the request, before any response byte"),
    RESET_MID_BODY("TCP reset after the response head and half of its body"),
    SLOW_RESPONSE("the response's first byte held back by the slow delay");

    public final String meaning;

    Fault(String meaning) {
      this.meaning = meaning;
    }
  }

  /** Fraction of requests (0..1) that get each fault; they add up to at most 1. */
  public record Rates(double slowDown, double resetBeforeResponse, double resetMidBody, double slowResponse,
                      Duration slowDelay) {
    public Rates {
      double sum = 0;
      for (double r : new double[] {slowDown, resetBeforeResponse, resetMidBody, slowResponse}) {
        if (r < 0 || r > 1) {
          throw new IllegalArgumentException("fault rate " + r + " is not within 0..1");
        }
        sum += r;
      }
      if (sum > 1 + 1e-9) {
        throw new IllegalArgumentException("fault rates add up to " + sum + ", more than 1");
      }
      if (slowDelay.isNegative()) {
        throw new IllegalArgumentException("negative slow delay " + slowDelay);
      }
    }

    /** {@code rate} of each of the four faults. */
    public static Rates each(double rate, Duration slowDelay) {
      return new Rates(rate, rate, rate, rate, slowDelay);
    }

    /** Only {@code fault}, at {@code rate}. */
    public static Rates only(Fault fault, double rate, Duration slowDelay) {
      return new Rates(fault == Fault.SLOW_DOWN ? rate : 0, fault == Fault.RESET_BEFORE_RESPONSE ? rate : 0,
          fault == Fault.RESET_MID_BODY ? rate : 0, fault == Fault.SLOW_RESPONSE ? rate : 0, slowDelay);
    }

    /** The fault for a uniform draw {@code u} in [0, 1), or null for none: the rates are consecutive intervals. */
    Fault pick(double u) {
      double edge = slowDown;
      if (u < edge) {
        return Fault.SLOW_DOWN;
      }
      if (u < (edge += resetBeforeResponse)) {
        return Fault.RESET_BEFORE_RESPONSE;
      }
      if (u < (edge += resetMidBody)) {
        return Fault.RESET_MID_BODY;
      }
      if (u < edge + slowResponse) {
        return Fault.SLOW_RESPONSE;
      }
      return null;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "SlowDown %.3f, reset before response %.3f, reset mid-body %.3f, "
          + "slow %.3f (%d ms)", slowDown, resetBeforeResponse, resetMidBody, slowResponse, slowDelay.toMillis());
    }
  }

  /** Requests seen and faults injected so far. */
  public record Counts(long requests, Map<Fault, Long> injected) {
    public long faults() {
      return injected.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Random random;
  private volatile Rates rates;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private volatile boolean closed;

  private FaultProxy(ServerSocket listener, InetSocketAddress target, Rates rates, long seed) {
    this.listener = listener;
    this.target = target;
    this.rates = rates;
    this.random = new Random(seed);
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + listener.getLocalPort());
    this.acceptor.setDaemon(true);
  }

  /** A proxy on a free loopback port to {@code 127.0.0.1:targetPort}, its fault draws seeded by {@code seed}. */
  public static FaultProxy start(int targetPort, Rates rates, long seed) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    FaultProxy proxy = new FaultProxy(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
        rates, seed);
    proxy.acceptor.start();
    return proxy;
  }

  public int port() {
    return listener.getLocalPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  public Rates rates() {
    return rates;
  }

  /** Changes the rates for the requests from now on (e.g. none while a baseline is read). */
  public void setRates(Rates rates) {
    this.rates = rates;
  }

  public Counts counts() {
    Map<Fault, Long> m = new EnumMap<>(Fault.class);
    injected.forEach((f, n) -> m.put(f, n.get()));
    return new Counts(requests.get(), m);
  }

  private synchronized Fault draw() {
    return rates.pick(random.nextDouble());
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      Thread t = new Thread(() -> serve(client), "fault-proxy-" + port() + "-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  /** One client connection: its exchanges in turn over one upstream connection, until either side closes. */
  private void serve(Socket client) {
    Socket server = new Socket();
    sockets.add(server);
    try (client; server) {
      client.setTcpNoDelay(true);
      InputStream fromClient = new BufferedInputStream(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      InputStream fromServer = null;
      OutputStream toServer = null;
      while (!closed) {
        Head request = Head.read(fromClient);
        if (request == null) {
          return; // the client closed between exchanges
        }
        requests.incrementAndGet();
        Fault fault = draw();
        if (fault != null) {
          injected.get(fault).incrementAndGet();
        }
        if (fault == Fault.SLOW_DOWN) {
          discardBody(request, fromClient, toClient);
          slowDown(request, toClient);
          continue;
        }
        if (fault == Fault.RESET_BEFORE_RESPONSE) {
          reset(client);
          return;
        }
        if (fromServer == null) {
          server.connect(target, 10_000);
          server.setTcpNoDelay(true);
          fromServer = new BufferedInputStream(server.getInputStream());
          toServer = server.getOutputStream();
        }
        toServer.write(request.bytes);
        Head response;
        if (request.expectsContinue()) {
          toServer.flush();
          response = Head.read(fromServer);
          if (response != null && response.status() == 100) {
            toClient.write(response.bytes);
            toClient.flush();
            relayBody(request, fromClient, toServer, Long.MAX_VALUE);
            response = Head.read(fromServer);
          }
        } else {
          relayBody(request, fromClient, toServer, Long.MAX_VALUE);
          toServer.flush();
          response = Head.read(fromServer);
        }
        if (response == null) {
          return; // the server closed: so does the client's connection
        }
        if (fault == Fault.SLOW_RESPONSE) {
          Ports.sleep(rates.slowDelay().toMillis());
        }
        toClient.write(response.bytes);
        boolean bodyless = request.method().equals("HEAD") || response.status() == 204 || response.status() == 304;
        if (fault == Fault.RESET_MID_BODY) {
          long length = bodyless ? 0 : response.contentLength();
          if (length > 1) {
            relayBody(response, fromServer, toClient, length / 2);
          }
          toClient.flush();
          reset(client);
          return;
        }
        if (!bodyless) {
          relayBody(response, fromServer, toClient, Long.MAX_VALUE);
        }
        toClient.flush();
        if (response.closes() || request.closes()) {
          return;
        }
      }
    } catch (IOException e) {
      // either side went away; the client sees its connection end, as from a real server
    } finally {
      sockets.remove(client);
      sockets.remove(server);
    }
  }

  /** S3's throttling answer, after which the connection stays usable (as S3's does). */
  private static void slowDown(Head request, OutputStream toClient) throws IOException {
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
        + "<Message>Please reduce your request rate.</Message><Resource>" + xml(request.target())
        + "</Resource><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
        + "\r\nx-amz-request-id: fault-proxy\r\n\r\n";
    toClient.write(head.getBytes(StandardCharsets.US_ASCII));
    if (!request.method().equals("HEAD")) {
      toClient.write(body);
    }
    toClient.flush();
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A request body the proxy answers itself must still be consumed, or it would be read as the next request. */
  private static void discardBody(Head request, InputStream in, OutputStream toClient) throws IOException {
    if (request.expectsContinue()) {
      return; // the client sends no body unless told to continue; the error answers instead
    }
    relayBody(request, in, OutputStream.nullOutputStream(), Long.MAX_VALUE);
  }

  /** Copies the body that follows {@code head} (Content-Length or chunked), at most {@code limit} bytes of it. */
  private static void relayBody(Head head, InputStream in, OutputStream out, long limit) throws IOException {
    if (head.chunked()) {
      relayChunked(in, out);
      return;
    }
    long left = Math.min(head.contentLength(), limit);
    byte[] buf = new byte[64 * 1024];
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("body ended " + left + " bytes early");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void relayChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = line(in);
      out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
      int semi = sizeLine.indexOf(';');
      long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        String trailer;
        do {
          trailer = line(in);
          out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } while (!trailer.isEmpty());
        return;
      }
      byte[] buf = in.readNBytes((int) size + 2); // data and its CRLF
      if (buf.length < size + 2) {
        throw new EOFException("chunk ended early");
      }
      out.write(buf);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("stream ended inside a line");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  /** Closes with SO_LINGER 0: the peer gets a TCP RST ("connection reset"), not an orderly end of stream. */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  /** An HTTP message head: its raw bytes (relayed unchanged) and the fields the relay needs. */
  record Head(byte[] bytes, String startLine, Map<String, String> fields) {

    /** Reads a head up to its blank line; null when the stream ends before its first byte. */
    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int c;
      int matched = 0; // of "\r\n\r\n"
      while (matched < 4) {
        c = in.read();
        if (c < 0) {
          if (raw.size() == 0) {
            return null;
          }
          throw new EOFException("stream ended inside an HTTP head");
        }
        raw.write(c);
        matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
        if (raw.size() > MAX_HEAD) {
          throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
        }
      }
      byte[] bytes = raw.toByteArray();
      String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
      Map<String, String> fields = new java.util.HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          fields.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      return new Head(bytes, lines[0], fields);
    }

    String method() {
      return startLine.substring(0, Math.max(0, startLine.indexOf(' ')));
    }

    String target() {
      String[] parts = startLine.split(" ");
      return parts.length > 1 ? parts[1] : "";
    }

    int status() {
      String[] parts = startLine.split(" ");
      return parts.length > 1 && startLine.startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
    }

    long contentLength() {
      String v = fields.get("content-length");
      return v == null ? 0 : Long.parseLong(v);
    }

    boolean chunked() {
      return fields.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
    }

    boolean closes() {
      return fields.getOrDefault("connection", "").equalsIgnoreCase("close");
    }

    boolean expectsContinue() {
      return fields.getOrDefault("expect", "").equalsIgnoreCase("100-continue");
    }
  }

  @Override
  public void close() {
    closed = true;
    Ports.closeQuietly(listener);
    sockets.forEach(Ports::closeQuietly);
  }

  @Override
  public String toString() {
    return "FaultProxy[" + port() + " -> " + target.getPort() + ", " + rates + "]";
  }
}
