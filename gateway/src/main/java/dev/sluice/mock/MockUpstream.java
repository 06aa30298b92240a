package dev.sluice.mock;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting fake LLM provider on a real socket, speaking the OpenAI, Anthropic Messages and
 * Gemini wire formats.
 *
 * <p>Endpoints: {@code POST /v1/chat/completions}, {@code POST /v1/embeddings}, {@code GET
 * /v1/models} (OpenAI); {@code POST /v1/messages} (Anthropic); {@code POST
 * /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent} (Gemini). Answers are
 * deterministic (see {@link MockAnswer}).
 *
 * <p>Faults are chosen per request by a {@code /fault/<spec>/} path prefix, else an {@code
 * x-mock-fault: <spec>} header, else the server's default spec; see {@link FaultSpec} for the
 * grammar. A typical use from a test:
 *
 * <pre>{@code
 * MockUpstream mock = MockUpstream.start(vertx, MockUpstreamOptions.builder().seed(1L).build())
 *     .toCompletionStage().toCompletableFuture().get();
 * // use as the provider base URL:
 * String flaky = mock.baseUrl() + "/fault/status=429,retry_after=2";
 * }</pre>
 *
 * <p>Instances are thread-safe; all request handling happens on one Vert.x event loop.
 */
public final class MockUpstream {

  private static final Logger LOG = LoggerFactory.getLogger(MockUpstream.class);

  private final Vertx vertx;
  private final HttpServer server;
  /** The verticle holding the servers of the other event loops; null with one loop. */
  private final String otherLoops;
  private final String host;
  private final boolean tls;
  private final AtomicLong connections;

  private MockUpstream(Vertx vertx, HttpServer server, String otherLoops, String host, boolean tls,
      AtomicLong connections) {
    this.vertx = vertx;
    this.server = server;
    this.otherLoops = otherLoops;
    this.host = host;
    this.tls = tls;
    this.connections = connections;
  }

  /**
   * Starts a mock upstream.
   *
   * @param vertx the Vert.x instance whose event loop and timers serve the requests
   * @param options validated start-up options
   * @return a future completing with the listening server, or failing if the port cannot be bound
   */
  public static Future<MockUpstream> start(Vertx vertx, MockUpstreamOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    Random random = options.seed().map(Random::new).orElseGet(Random::new);
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        // Streams are many tiny writes; Nagle would batch them and distort chunk timing.
        .setTcpNoDelay(true)
        // curl and the JDK client may send "Expect: 100-continue" and wait for it before the body.
        .setHandle100ContinueAutomatically(true)
        // HTTP/1.1 only (Vert.x 5 would otherwise accept an h2c upgrade, e.g. from the JDK client):
        // "reset" and "cut_after" are defined as TCP closes, and providers never speak h2c anyway.
        .setHttp2ClearTextEnabled(false);
    // Over TLS the mock is reached as hosted providers are: HTTP/2 when the client offers it by ALPN.
    options.tls().ifPresent(keyCert -> serverOptions.setSsl(true).setKeyCertOptions(keyCert).setUseAlpn(true));
    AtomicLong connections = new AtomicLong();
    MockRequestHandler handler = new MockRequestHandler(vertx, options, random); // shared: counts all loops
    Supplier<HttpServer> newServer = () -> vertx.createHttpServer(serverOptions)
        .connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(handler)
        // Clients vanishing mid-stream is the point of this server, not something to log loudly.
        .exceptionHandler(e -> LOG.debug("mock upstream connection error: {}", e.toString()));
    HttpServer server = newServer.get();
    return server.listen().compose(listening -> {
      if (options.eventLoops() == 1) {
        return Future.succeededFuture((String) null);
      }
      // More servers on the same port, each deployed on its own event loop: Vert.x hands each new
      // connection to the next of them, so one loop's CPU (TLS for thousands of streams) is no limit.
      return vertx.deployVerticle(() -> new VerticleBase() {
        @Override
        public Future<?> start() {
          return newServer.get().listen();
        }
      }, new DeploymentOptions().setInstances(options.eventLoops() - 1));
    }).map(deployment -> {
      MockUpstream mock = new MockUpstream(vertx, server, deployment, options.host(), options.tls().isPresent(), connections);
      LOG.info("mock upstream listening on {} ({})", mock.baseUrl(), options);
      return mock;
    });
  }

  /** The bound port (the actual one when the options asked for port 0). */
  public int port() {
    return server.actualPort();
  }

  /**
   * Connections accepted since start (HTTP/1.1 and HTTP/2 alike): how many a client opened, e.g. to
   * see that HTTP/2 streams share one.
   */
  public long connectionsAccepted() {
    return connections.get();
  }

  /**
   * The URL clients should use, e.g. {@code http://127.0.0.1:41234} ({@code https} with TLS). A wildcard bind address is
   * replaced by loopback, since {@code 0.0.0.0} is not something a client can connect to.
   */
  public String baseUrl() {
    String h = host;
    if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
      h = "127.0.0.1";
    } else if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]"; // IPv6 literal
    }
    return (tls ? "https://" : "http://") + h + ":" + port();
  }

  /**
   * Stops listening and closes every open connection, including ones held by {@code hang}; pending
   * latency timers then find their connection closed and do nothing.
   */
  public Future<Void> close() {
    Future<Void> others = otherLoops == null ? Future.succeededFuture() : vertx.undeploy(otherLoops);
    return others.eventually(server::close);
  }
}
