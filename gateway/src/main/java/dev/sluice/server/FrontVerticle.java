package dev.sluice.server;

import dev.sluice.config.ClientLimits;
import dev.sluice.core.ApiError;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.pipeline.ErrorResponses;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RoutingHeaders;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One HTTP front on one event loop. The gateway deploys one per core on the same port; the kernel
 * spreads connections across them. Handlers are shared, stateless and thread-safe.
 *
 * <p>Client limits: each connection is guarded by {@link ConnectionGuard} (connection caps, header,
 * body and idle deadlines, the request screen); request heads too large for the decoder and those
 * the screen refuses are answered by {@link InvalidRequests}.
 */
final class FrontVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FrontVerticle.class);
  /** The routes whose compressed bodies are inflated when {@code decompress_requests} is on. */
  static final Set<String> INFLATED_PATHS = Set.of("/v1/chat/completions", "/chat/completions", "/v1/embeddings",
      "/embeddings", "/v1/messages", "/v1/messages/count_tokens", "/v1/responses");

  private final FrontRoutes routes;
  private final String host;
  private final int port;
  private final ClientLimits limits;
  private final ConnectionCaps caps;
  private HttpServer server;
  private Router router;

  FrontVerticle(FrontRoutes routes, String host, int port, ClientLimits limits, ConnectionCaps caps) {
    this.routes = routes;
    this.host = host;
    this.port = port;
    this.limits = limits;
    this.caps = caps;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = serverOptions(limits);
    RequestScreen screen = new RequestScreen(limits, INFLATED_PATHS::contains);
    server = vertx.createHttpServer(options)
        .connectionHandler(new ConnectionGuard(limits, caps, options, screen, routes::frontFor))
        .invalidRequestHandler(new InvalidRequests(limits, routes::frontFor))
        .requestHandler(router());
    return server.listen(port, host);
  }

  /** The front server's options: what every client connection is opened with. */
  static HttpServerOptions serverOptions(ClientLimits limits) {
    return new HttpServerOptions()
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // The gateway serves no WebSocket. With either compression on (Vert.x's default), every
        // connection gets a WebSocket extension handler in its pipeline, with its two handshakers and
        // queue (~0.4 kB per open connection), that every request and answer passes through.
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        // Deadlines are per phase (ConnectionTimeouts): a plain idle timeout would cut long streams.
        .setIdleTimeout(0)
        .setMaxInitialLineLength(limits.maxRequestLineBytes())
        .setMaxHeaderSize(limits.maxHeaderBytes())
        // HTTP/1.1 only: with h2c on, Vert.x hands over a connection only once its first bytes came,
        // so a client that connects and says nothing would escape the caps and the header deadline.
        .setHttp2ClearTextEnabled(false);
  }

  int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting connections and waits up to {@code graceMillis} for in-flight requests. */
  Future<Void> drain(long graceMillis) {
    return server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
  }

  private Router router() {
    Router router = Router.router(vertx);
    GatewayMetrics metrics = routes.metrics;
    router.get("/health/live").handler(routes.info::live);
    router.get("/health/ready").handler(routes.info::ready);
    router.get("/metrics").handler(routes.info::metrics);

    // A body with a Content-Length is read into a buffer of that size (up to 64 KiB, then it grows),
    // not into a 1 KiB one doubled as it fills: the routing context keeps the buffer for as long as
    // the request lives (a whole stream), so the slack was kept too, ~0.9 kB per open stream for a
    // short request and up to half the buffer for a long one. Only keyed callers get here (above).
    BodyHandler body = BodyHandler.create(false).setBodyLimit(routes.maxBodyBytes).setPreallocateBodyBuffer(true);
    // Compressed bodies (when allowed at all) are inflated right after they are read, before parsing.
    RequestInflation inflation = limits.decompressRequests()
        ? new RequestInflation(limits.maxDecompressedBytes(), routes::frontFor) : null;
    // Two routes per POST path: the first opens the exchange and checks the key, the second reads the
    // body and answers. A caller without a valid key is refused before its body is read, so it cannot
    // make the gateway buffer max_body_bytes (or inflate a compressed body) for nothing. The request is
    // paused until the body handler asks for it, also across an asynchronous key lookup.
    Handler<RoutingContext> holdBody = ctx -> {
      ctx.request().pause(); // until the body handler of the second route asks for the body
      ctx.next();
    };
    BiConsumer<String, Handler<RoutingContext>> post = (path, answer) -> {
      Route read = router.post(path).handler(body);
      (inflation == null ? read : read.handler(inflation)).handler(answer);
    };
    for (String prefix : new String[] {"/v1", ""}) {
      router.post(prefix + "/chat/completions").handler(holdBody)
          .handler(routes.beginBilled("chat", OpenAiFrontDoor.INSTANCE)).handler(routes::authenticate);
      post.accept(prefix + "/chat/completions", routes.chat);
      router.post(prefix + "/embeddings").handler(holdBody)
          .handler(routes.beginBilled("embeddings", OpenAiFrontDoor.INSTANCE)).handler(routes::authenticate);
      post.accept(prefix + "/embeddings", routes.embeddings);
      router.get(prefix + "/models").handler(routes.begin("models", OpenAiFrontDoor.INSTANCE)).handler(routes::authenticate)
          .handler(routes.info::models);
    }
    // The Anthropic SDKs take the base URL without /v1 and call /v1/messages.
    router.post("/v1/messages").handler(holdBody).handler(routes.beginBilled("messages", routes.messagesFront()))
        .handler(routes::authenticate);
    post.accept("/v1/messages", routes.messages);
    router.post("/v1/messages/count_tokens").handler(holdBody).handler(routes.begin("count_tokens", routes.messagesFront()))
        .handler(routes::authenticate);
    post.accept("/v1/messages/count_tokens", routes.countTokens);
    // OpenAI's Responses API: created through the pipeline; stored ones only pass through to OpenAI.
    ResponsesRoutes responses = routes.responses;
    router.post("/v1/responses").handler(holdBody).handler(routes.beginBilled("responses", responses.front()))
        .handler(routes::authenticate);
    post.accept("/v1/responses", responses.create());
    router.get("/v1/responses/:id").handler(routes.begin("responses_get", responses.front()))
        .handler(routes::authenticate).handler(responses.stored()::get);
    router.delete("/v1/responses/:id").handler(routes.begin("responses_delete", responses.front()))
        .handler(routes::authenticate).handler(responses.stored()::delete);
    router.get("/v1/responses/:id/input_items").handler(routes.begin("responses_input_items", responses.front()))
        .handler(routes::authenticate).handler(responses.stored()::inputItems);
    // What a client key may read about itself (its own key, spend, requests and stats); there is no write route.
    TenantRoutes tenant = new TenantRoutes(routes.view.store(), java.time.Clock.systemUTC());
    router.get("/v1/sluice/key").handler(routes.begin("sluice_key", OpenAiFrontDoor.INSTANCE))
        .handler(routes::authenticate).handler(tenant::key);
    router.get("/v1/sluice/spend").handler(routes.begin("sluice_spend", OpenAiFrontDoor.INSTANCE))
        .handler(routes::authenticate).handler(tenant::spend);
    router.get("/v1/sluice/requests").handler(routes.begin("sluice_requests", OpenAiFrontDoor.INSTANCE))
        .handler(routes::authenticate).handler(tenant::requests);
    router.get("/v1/sluice/requests/:id").handler(routes.begin("sluice_requests", OpenAiFrontDoor.INSTANCE))
        .handler(routes::authenticate).handler(tenant::request);
    router.get("/v1/sluice/stats").handler(routes.begin("sluice_stats", OpenAiFrontDoor.INSTANCE))
        .handler(routes::authenticate).handler(tenant::stats);
    routes.admin.forEach(m -> m.mount(router, routes.view));
    router.route().last().handler(ctx -> routes.notFound(ctx));
    router.route().failureHandler(this::failed);
    this.router = router;
    return router;
  }

  /**
   * Every route of this front as {@code "METHOD path"}, sorted, without duplicates: methods joined
   * by {@code ,} or {@code *} for any, a prefix route as {@code /admin/*}, a route for any path as
   * {@code *}, a path with parameters as declared ({@code /admin/keys/:id}), a pure regex as
   * {@code regex:<route name>}. The authorization matrix test checks each one has a row.
   */
  java.util.SortedSet<String> routeTable() {
    java.util.SortedSet<String> table = new java.util.TreeSet<>();
    for (io.vertx.ext.web.Route r : router.getRoutes()) {
      String methods = r.methods() == null || r.methods().isEmpty() ? "*"
          : String.join(",", r.methods().stream().map(io.vertx.core.http.HttpMethod::name).sorted().toList());
      // A path with :params is matched by a regex but keeps its declared path; a pure regex route has none.
      String path = r.getPath() != null ? (r.isExactPath() ? r.getPath() : r.getPath() + "*")
          : r.isRegexPath() ? "regex:" + r.getName() : "*";
      table.add(methods + " " + path);
    }
    return table;
  }

  /** Failures raised by Vert.x Web itself (body too large, bad method) in the path's error format. */
  private void failed(RoutingContext ctx) {
    Exchange ex = Exchange.of(ctx);
    ApiError error = switch (ctx.statusCode()) {
      case 413 -> ApiError.bodyTooLarge(routes.maxBodyBytes);
      case 400 -> ApiError.invalidRequest(null, "Malformed request");
      case 404 -> ApiError.notFound("Unknown path " + ctx.request().path());
      case 405 -> new ApiError(405, "invalid_request_error", "method_not_allowed", null,
          "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path());
      default -> ApiError.internal("Sluice failed to handle the request");
    };
    if (error.status() == 500) {
      // A bug of ours, not of the client's: say where (the request id finds it in the request log).
      LOG.warn("{} {} failed ({})", ctx.request().method(), ctx.request().path(),
          ex == null ? "before its exchange opened" : "request " + ctx.response().headers().get(RoutingHeaders.REQUEST_ID),
          ctx.failure());
    }
    if (ex != null) {
      ex.fail(error);
    } else {
      // Failed before the exchange opened (body too large): answer in the path's format.
      ErrorResponses.write(ctx.response(), routes.frontFor(ctx.request().path()), error);
    }
  }
}
