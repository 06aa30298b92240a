package dev.sluice.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for every request: strips the optional {@code /fault/<spec>/} prefix, picks the wire
 * format from the path, resolves the fault spec (path prefix, else {@code x-mock-fault} header,
 * else the server default), then runs the request through fault injection, authentication and the
 * format's responder, in that order.
 *
 * <p>Ordering rationale: latency applies to every answer, including errors; injected errors come
 * before body validation so fault tests do not need a valid body; unknown endpoints and bad fault
 * specs are answered at once, without faults, because they are mistakes in the test itself.
 */
final class MockRequestHandler implements Handler<HttpServerRequest> {

  /** Request header selecting a fault spec when no path prefix is used. */
  static final String FAULT_HEADER = "x-mock-fault";

  private static final Logger LOG = LoggerFactory.getLogger(MockRequestHandler.class);
  private static final String FAULT_PREFIX = "/fault/";
  /** Counts of what this mock served, for soak and benchmark harnesses that compare with the gateway's books. */
  static final String STATS_PATH = "/mock/stats";

  private final Vertx vertx;
  private final MockUpstreamOptions options;
  private final FaultInjector injector;
  private final MockResponder openAi = new OpenAiMockResponder();
  private final MockResponder anthropic = new AnthropicMockResponder();
  private final MockResponder gemini = new GeminiMockResponder();
  private final AtomicLong served = new AtomicLong();

  MockRequestHandler(Vertx vertx, MockUpstreamOptions options, Random random) {
    this.vertx = vertx;
    this.options = options;
    this.injector = new FaultInjector(vertx, random);
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals(STATS_PATH) && request.method() == HttpMethod.GET) {
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end("{\"requests\":" + served.get() + "}");
      return;
    }
    served.incrementAndGet();
    String pathSpec = null;
    if (path.startsWith(FAULT_PREFIX)) {
      int slash = path.indexOf('/', FAULT_PREFIX.length());
      pathSpec = slash < 0 ? path.substring(FAULT_PREFIX.length())
          : path.substring(FAULT_PREFIX.length(), slash);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    MockResponder responder = responderFor(path);
    if (!responder.handles(request.method(), path)) {
      reject(request, path, responder, 404, "unknown endpoint: " + request.method() + " " + path);
      return;
    }
    FaultSpec spec;
    try {
      spec = resolveSpec(request, pathSpec);
    } catch (IllegalArgumentException e) {
      reject(request, path, responder, 400, "invalid fault spec: " + e.getMessage());
      return;
    }
    MockExchange exchange = new MockExchange(vertx, request, path, spec, responder);
    // The body is read before any fault so that a reset or hang is not confused with a client
    // still uploading; if the client goes away meanwhile, there is nobody left to answer.
    request.body().onSuccess(body -> {
      FaultInjector.Plan plan = injector.plan(spec);
      injector.apply(exchange, plan, fail -> answer(exchange, responder, body, fail));
    });
  }

  private MockResponder responderFor(String path) {
    if (path.startsWith("/v1beta/")) {
      return gemini;
    }
    if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
      return anthropic;
    }
    return openAi; // also owns unknown paths, so they get the most widely understood error shape
  }

  private FaultSpec resolveSpec(HttpServerRequest request, String pathSpec) {
    if (pathSpec != null) {
      // '+' is literal in a path; URLDecoder would turn it into a space.
      return FaultSpec.parse(
          URLDecoder.decode(pathSpec.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    String header = request.getHeader(FAULT_HEADER);
    if (header != null) {
      return FaultSpec.parse(header); // present but empty means "no faults", overriding the default
    }
    return options.defaultFaultSpec();
  }

  private void answer(MockExchange exchange, MockResponder responder, Buffer body, boolean fail) {
    HttpServerRequest request = exchange.request();
    if (!authorized(request)) {
      exchange.sendError(401, "invalid or missing API key (sluice mock requires a key)");
      return;
    }
    if (fail) {
      int status = exchange.spec().errorStatus();
      exchange.sendError(status, "injected failure with status " + status
          + " (sluice mock fault spec '" + exchange.spec() + "')");
      return;
    }
    try {
      ObjectNode json = request.method() == HttpMethod.GET
          ? MockJson.object() : MockJson.parseObject(body.getBytes());
      responder.respond(exchange, json);
    } catch (IllegalArgumentException e) {
      exchange.sendError(400, e.getMessage());
    } catch (RuntimeException e) {
      // A bug in the mock must still produce an answer, or the test under way would just time out.
      LOG.warn("mock upstream failed to answer {} {}", request.method(), exchange.path(), e);
      exchange.sendError(500, "sluice mock internal error: " + e);
    }
  }

  private boolean authorized(HttpServerRequest request) {
    String key = options.requiredKey().orElse(null);
    if (key == null) {
      return true;
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && sameSecret(key, authorization.substring(7).trim())) {
      return true;
    }
    // Gemini clients commonly pass the key as ?key=, so that is accepted too.
    return sameSecret(key, request.getHeader("x-api-key"))
        || sameSecret(key, request.getHeader("x-goog-api-key"))
        || sameSecret(key, request.getParam("key"));
  }

  /** Compares SHA-256 digests in constant time, never the keys themselves with {@code equals}. */
  private static boolean sameSecret(String key, String presented) {
    if (presented == null) {
      return false;
    }
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] expected = sha.digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.security.MessageDigest.isEqual(expected,
          sha.digest(presented.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private void reject(HttpServerRequest request, String path, MockResponder responder, int status,
      String message) {
    new MockExchange(vertx, request, path, FaultSpec.NONE, responder).sendError(status, message);
  }
}
