package dev.sluice.embed;

import dev.sluice.admin.AdminRoutes;
import dev.sluice.config.SluiceConfig;
import dev.sluice.console.ConsoleRoutes;
import dev.sluice.core.Ticker;
import dev.sluice.server.Gateway;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Sluice gateway running inside the calling JVM: the same HTTP API, admin API and console as
 * {@code sluice serve}, on the configured host and port ({@code server.port: 0} takes a free
 * port, reported by {@link #port()}).
 *
 * <pre>{@code
 * try (Sluice gateway = Sluice.start(SluiceConfig.load(Path.of("sluice.yaml")))) {
 *   String baseUrl = gateway.baseUrl(); // http://127.0.0.1:PORT, point OpenAI clients at baseUrl + "/v1"
 * }
 * }</pre>
 *
 * <p>{@link #start} and {@link #close} block the calling thread (start-up is bounded by a minute,
 * close by the config's {@code server.shutdown_grace} plus a few seconds), so neither may be
 * called on a Vert.x event loop. Thread-safe; {@link #close} is idempotent.
 */
public final class Sluice implements AutoCloseable {
  private static final long START_TIMEOUT_SECONDS = 60;
  /** What closing waits beyond the drain grace: the ledger flush, the store, Vert.x itself. */
  private static final long CLOSE_SLACK_MILLIS = 15_000;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Gateway gateway;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Sluice(Vertx vertx, boolean ownsVertx, Gateway gateway) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.gateway = gateway;
  }

  /**
   * Starts a gateway on a Vert.x instance of its own, closed by {@link #close()}.
   *
   * @throws IllegalStateException when it cannot start (port taken, store unreachable, ...), with the cause
   */
  public static Sluice start(SluiceConfig config) {
    Vertx own = Vertx.vertx();
    try {
      return start(own, true, config);
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /**
   * Starts a gateway on the application's Vert.x instance; {@link #close()} drains the gateway and
   * leaves that instance running.
   *
   * @throws IllegalStateException when it cannot start, with the cause
   */
  public static Sluice start(Vertx vertx, SluiceConfig config) {
    return start(vertx, false, config);
  }

  private static Sluice start(Vertx vertx, boolean ownsVertx, SluiceConfig config) {
    notOnAnEventLoop("start");
    try {
      Gateway gateway = Gateway.start(vertx, config, Ticker.system(), List.of(new ConsoleRoutes(), new AdminRoutes()))
          .toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new Sluice(vertx, ownsVertx, gateway);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Sluice could not start: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Sluice did not start within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Sluice was starting", e);
    }
  }

  /** The port the gateway listens on (the free one it took when the config said 0). */
  public int port() {
    return gateway.port();
  }

  /**
   * Where clients of this process reach the gateway, without a path: {@code http://HOST:PORT}, with
   * the loopback address when it listens on every interface. OpenAI clients take
   * {@code baseUrl() + "/v1"} (Spring AI adds the {@code /v1} itself), Anthropic clients {@code baseUrl()}.
   */
  public String baseUrl() {
    String host = gateway.config().server().host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /** The config it runs on. */
  public SluiceConfig config() {
    return gateway.config();
  }

  /**
   * Drains and stops the gateway as {@code sluice serve} does on SIGTERM: readiness turns 503, no new
   * connections, requests and streams in flight get {@code server.shutdown_grace} to finish, the
   * ledger is flushed; then its own Vert.x instance (not one passed to {@link #start(Vertx, SluiceConfig)})
   * is closed and the port is free. Later calls return at once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    notOnAnEventLoop("close");
    Duration grace = gateway.config().server().shutdownGrace();
    try {
      var drained = gateway.shutdown(grace);
      var stopped = ownsVertx ? drained.eventually(vertx::close) : drained;
      stopped.toCompletionStage().toCompletableFuture()
          .get(grace.toMillis() + CLOSE_SLACK_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Sluice did not stop cleanly: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Sluice was stopping", e);
    }
  }

  private static void notOnAnEventLoop(String what) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("Sluice." + what + " blocks: call it from an application thread, not an event loop");
    }
  }
}
