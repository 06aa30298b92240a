package dev.sluice.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A provider address that accepts TCP and never answers the TLS handshake: what an upstream behind
 * a partition or a black-holing firewall looks like to an {@code https://} base URL, so every
 * connection to it ends at the connect timeout. {@code @RegisterExtension static final SilentServer
 * silent = new SilentServer();} starts it (with its own Vert.x) before the class's tests and stops it
 * after.
 */
public final class SilentServer implements BeforeAllCallback, AfterAllCallback {
  private final AtomicInteger accepted = new AtomicInteger();
  private Vertx vertx;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    NetServer server = vertx.createNetServer().connectHandler(socket -> accepted.incrementAndGet()); // holds it, says nothing
    port = Await.await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  public int port() {
    return port;
  }

  /** Connections accepted since the start (each a handshake that will not finish). */
  public int accepted() {
    return accepted.get();
  }

  /** {@code https://127.0.0.1:<port>}: a base URL whose handshakes never finish. */
  public String httpsBase() {
    return "https://127.0.0.1:" + port;
  }
}
