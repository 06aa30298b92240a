package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server for tests, from the binaries embedded-redis ships (Linux x86_64: 6.2.x), on
 * a free loopback port, without persistence. {@link #stop()} and {@link #start()} kill and restart
 * it on the same port, for tests of what happens while Redis is away. Not thread-safe.
 */
public final class RedisTestServer implements AutoCloseable {
  private final int port;
  private RedisServer server;

  private RedisTestServer(int port) {
    this.port = port;
  }

  /** Starts a server on a free port. */
  public static RedisTestServer startOnFreePort() {
    RedisTestServer s = new RedisTestServer(freePort());
    s.start();
    return s;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public void start() {
    if (server != null && server.isActive()) {
      return;
    }
    try {
      server = RedisServer.newRedisServer()
          .port(port)
          .bind("127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .onShutdownForceStop(true)
          .build();
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start redis-server on port " + port, e);
    }
  }

  /** Kills the server; clients see refused connections until {@link #start()}. */
  public void stop() {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
