package org.atl03.testing.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Distance on loopback: a TCP proxy in front of a server that delays every byte by half the round-trip time in
 * each direction (order kept, per connection), and a new connection's first bytes by one more RTT, as its TCP
 * handshake would. Any client (our JVM readers, python's aiohttp) pays the same latency, which netem (no kernel
 * module here) would otherwise add. It also counts what crossed it, the same for every client: connections,
 * bytes each way and HTTP requests (header blocks sent upstream, valid for plain-HTTP GET/HEAD traffic).
 */
public final class LatencyProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long halfRttNanos;
  private final long rttNanos;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytesUp = new AtomicLong();
  private final AtomicLong bytesDown = new AtomicLong();
  private volatile boolean closed;

  private LatencyProxy(ServerSocket listener, InetSocketAddress target, Duration rtt) {
    this.listener = listener;
    this.target = target;
    this.rttNanos = rtt.toNanos();
    this.halfRttNanos = rttNanos / 2;
    this.acceptor = new Thread(this::acceptLoop, "latency-proxy-" + listener.getLocalPort());
    this.acceptor.setDaemon(true);
  }

  /** A proxy on a free loopback port to {@code 127.0.0.1:targetPort}, adding {@code rtt} per round trip. */
  public static LatencyProxy start(int targetPort, Duration rtt) throws IOException {
    if (rtt.isNegative()) {
      throw new IllegalArgumentException("negative RTT " + rtt);
    }
    ServerSocket listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    LatencyProxy proxy = new LatencyProxy(listener,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), rtt);
    proxy.acceptor.start();
    return proxy;
  }

  public int port() {
    return listener.getLocalPort();
  }

  public Duration rtt() {
    return Duration.ofNanos(rttNanos);
  }

  /** What crossed the proxy so far. */
  public record Traffic(long connections, long requests, long bytesUp, long bytesDown) {
    public Traffic minus(Traffic before) {
      return new Traffic(connections - before.connections, requests - before.requests, bytesUp - before.bytesUp,
          bytesDown - before.bytesDown);
    }
  }

  public Traffic traffic() {
    return new Traffic(connections.get(), requests.get(), bytesUp.get(), bytesDown.get());
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      long accepted = System.nanoTime();
      connections.incrementAndGet();
      try {
        Socket server = new Socket();
        server.connect(target, 10_000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        // the handshake: the first bytes leave no earlier than one RTT after the connect, plus their half RTT
        pipe(client, server, accepted + rttNanos, true);
        pipe(server, client, 0, false);
      } catch (IOException e) {
        Ports.closeQuietly(client);
      }
    }
  }

  /** Two threads per direction: one reads and stamps chunks, one sends each when it is due. */
  private void pipe(Socket from, Socket to, long notBefore, boolean upstream) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    String name = "latency-proxy-" + port() + (upstream ? "-up" : "-down");
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      byte[] tail = new byte[0];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          long due = Math.max(System.nanoTime() + halfRttNanos, notBefore + halfRttNanos);
          byte[] data = Arrays.copyOf(buf, n);
          if (upstream) {
            bytesUp.addAndGet(n);
            tail = countRequests(tail, data);
          } else {
            bytesDown.addAndGet(n);
          }
          queue.put(new Chunk(due, data));
        }
      } catch (IOException | InterruptedException e) {
        // the connection ended
      } finally {
        queue.offer(Chunk.END);
      }
    }, name + "-read");
    Thread writer = new Thread(() -> {
      try {
        while (true) {
          Chunk chunk = queue.take();
          if (chunk == Chunk.END) {
            break;
          }
          long wait;
          while ((wait = chunk.due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          out.write(chunk.data);
          out.flush();
        }
        to.shutdownOutput(); // pass the half-close on, after the delayed bytes
      } catch (IOException | InterruptedException e) {
        Ports.closeQuietly(from);
        Ports.closeQuietly(to);
      }
    }, name + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  /** Counts header-block ends ("\r\n\r\n") in {@code data}, carrying the last three bytes across chunks. */
  private byte[] countRequests(byte[] tail, byte[] data) {
    byte[] joined = new byte[tail.length + data.length];
    System.arraycopy(tail, 0, joined, 0, tail.length);
    System.arraycopy(data, 0, joined, tail.length, data.length);
    for (int i = 0; i + 4 <= joined.length; i++) {
      if (joined[i] == '\r' && joined[i + 1] == '\n' && joined[i + 2] == '\r' && joined[i + 3] == '\n') {
        requests.incrementAndGet();
      }
    }
    return Arrays.copyOfRange(joined, Math.max(0, joined.length - 3), joined.length);
  }

  private record Chunk(long due, byte[] data) {
    static final Chunk END = new Chunk(0, new byte[0]);
  }

  @Override
  public void close() {
    closed = true;
    Ports.closeQuietly(listener);
    sockets.forEach(Ports::closeQuietly);
  }

  @Override
  public String toString() {
    return "LatencyProxy[" + port() + " -> " + target.getPort() + ", RTT " + rttNanos / 1_000_000.0 + " ms]";
  }
}
