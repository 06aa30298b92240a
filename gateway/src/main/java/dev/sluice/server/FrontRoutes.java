package dev.sluice.server;

import dev.sluice.core.ApiError;
import dev.sluice.extension.AdminMount;
import dev.sluice.extension.ConsoleSession;
import dev.sluice.extension.GatewayView;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.RequestObserver;
import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.observe.trace.RequestTracer;
import dev.sluice.pipeline.ErrorResponses;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.FrontDoor;
import dev.sluice.pipeline.RoutingHeaders;
import dev.sluice.tenancy.AuthResult;
import dev.sluice.tenancy.ClientAuth;
import dev.sluice.tenancy.Principal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** The handlers every front verticle shares, and the steps common to all API routes. Thread-safe. */
final class FrontRoutes {
  final GatewayMetrics metrics;
  final InfoHandlers info;
  final Handler<RoutingContext> chat;
  final Handler<RoutingContext> messages;
  final CountTokensHandler countTokens;
  final Handler<RoutingContext> embeddings;
  final long maxBodyBytes;
  final java.util.List<AdminMount> admin;
  final GatewayView view;
  /** {@code /v1/responses}: the Responses front door, its handler, and the stored-response pass-through. */
  final ResponsesRoutes responses;
  private final ClientAuth auth;
  private final RequestObserver observer;
  private final RequestTracer tracer;
  /** Why the usage ledger cannot take billed requests now, or null ({@link LedgerWriter#refusal()}). */
  private final Supplier<String> ledgerRefusal;

  FrontRoutes(GatewayMetrics metrics, InfoHandlers info, Handler<RoutingContext> chat, Handler<RoutingContext> messages,
      CountTokensHandler countTokens, Handler<RoutingContext> embeddings, ClientAuth auth, long maxBodyBytes,
      java.util.List<AdminMount> admin, GatewayView view, RequestObserver observer, RequestTracer tracer,
      ResponsesRoutes responses, Supplier<String> ledgerRefusal) {
    this.ledgerRefusal = ledgerRefusal;
    this.responses = responses;
    this.observer = observer;
    this.tracer = tracer;
    this.admin = admin;
    this.view = view;
    this.metrics = metrics;
    this.info = info;
    this.chat = chat;
    this.messages = messages;
    this.countTokens = countTokens;
    this.embeddings = embeddings;
    this.auth = auth;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Opens the request's {@link Exchange} (with its server span when tracing is on and the endpoint
   * is a GenAI operation) and sets its id header; errors use {@code front}'s format. For an endpoint
   * that writes no ledger row; a billed one opens with {@link #beginBilled}.
   */
  Handler<RoutingContext> begin(String endpoint, FrontDoor front) {
    return begin(endpoint, front, false);
  }

  /**
   * {@link #begin} for an endpoint whose requests are billed (each writes ledger rows): while the
   * ledger cannot take them ({@link LedgerWriter#refusal()}) its requests are refused with 503.
   * Said where the route is registered, so a new billed endpoint cannot be missed by a list elsewhere.
   */
  Handler<RoutingContext> beginBilled(String endpoint, FrontDoor front) {
    return begin(endpoint, front, true);
  }

  private Handler<RoutingContext> begin(String endpoint, FrontDoor front, boolean billed) {
    String traced = tracer.enabled() ? RequestTracer.operation(endpoint) : null;
    return ctx -> {
      long start = System.nanoTime();
      String id = RequestIds.accept(ctx.request().getHeader(RoutingHeaders.REQUEST_ID));
      Exchange ex = new Exchange(ctx, endpoint, front, metrics, observer, id, start);
      ctx.put(Exchange.KEY, ex);
      if (traced != null) {
        ex.trace(tracer.begin(traced, id, ctx.request().headers(), start));
      }
      ctx.response().putHeader(RoutingHeaders.REQUEST_ID, id);
      if (front.requestIdHeader() != null) {
        ctx.response().putHeader(front.requestIdHeader(), id);
      }
      String refusal = billed ? ledgerRefusal.get() : null;
      if (refusal != null) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        refuse(ctx, LedgerWriter.BEHIND.equals(refusal) ? LEDGER_BEHIND : LEDGER_UNAVAILABLE);
        return;
      }
      ctx.next();
    };
  }

  private static final ApiError LEDGER_BEHIND = new ApiError(503, "server_error", LedgerWriter.BEHIND, null,
      "The gateway cannot record usage as fast as it arrives (its ledger store and journal are behind); retry shortly");

  private static final ApiError LEDGER_UNAVAILABLE = new ApiError(503, "server_error", LedgerWriter.UNAVAILABLE, null,
      "The gateway cannot record usage now (neither its ledger store nor its journal takes writes); retry shortly");

  /**
   * Puts the caller's {@link Principal} on the context, or ends the request with 401 (503 when the
   * key store cannot be asked). Without a key header, a web console session on the context stands
   * for its client key. Static and cached keys are decided at once, without allocating; a
   * stored key seen for the first time costs one asynchronous store lookup.
   */
  void authenticate(RoutingContext ctx) {
    if (!auth.enabled()) {
      ctx.put(Principal.KEY, Principal.ANONYMOUS);
      Exchange.of(ctx).authenticated(Principal.ANONYMOUS);
      ctx.next();
      return;
    }
    String authorization = ctx.request().getHeader(RoutingHeaders.AUTHORIZATION);
    String xApiKey = ctx.request().getHeader(RoutingHeaders.X_API_KEY);
    String presented = ClientAuth.presented(authorization, xApiKey);
    ConsoleSession session = authorization == null && xApiKey == null ? ctx.get(ConsoleSession.KEY) : null;
    if (session != null) {
      authenticateSession(ctx, session);
      return;
    }
    if (presented == null) {
      refuse(ctx, ApiError.unauthorized(authorization != null || xApiKey != null
          ? "Incorrect API key provided"
          : "You didn't provide an API key. Send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'"));
      return;
    }
    Future<AuthResult> result = auth.authenticate(presented);
    if (result.isComplete()) {
      admit(ctx, result.result());
    } else {
      result.onComplete(ar -> admit(ctx, ar.succeeded() ? ar.result() : AuthResult.UNAVAILABLE));
    }
  }

  /**
   * A web console session (the console verified its cookie and put it on the context; only on
   * {@code /v1/sluice/*}): a client key's session is its key, checked through the same cache as the
   * header would be, so a revoked key's session is refused at once. A write needs the session's
   * CSRF token. The master key's session reads the admin API instead.
   */
  private void authenticateSession(RoutingContext ctx, ConsoleSession session) {
    if (session.admin()) {
      refuse(ctx, new ApiError(403, "permission_error", "admin_session", null,
          "This console session is the master key's: it reads /admin/..., not the client key routes"));
      return;
    }
    if (!session.writeAllowed(ctx.request())) {
      refuse(ctx, new ApiError(403, "permission_error", "csrf_token_missing", null,
          "A write made with the console's session cookie needs its CSRF token in the x-csrf-token header"));
      return;
    }
    Future<AuthResult> result = auth.authenticateDigest(session.keyHash());
    if (result.isComplete()) {
      admit(ctx, result.result());
    } else {
      result.onComplete(ar -> admit(ctx, ar.succeeded() ? ar.result() : AuthResult.UNAVAILABLE));
    }
  }

  private static void admit(RoutingContext ctx, AuthResult result) {
    if (result.accepted()) {
      ctx.put(Principal.KEY, result.principal());
      Exchange.of(ctx).authenticated(result.principal());
      ctx.next();
    } else {
      refuse(ctx, result.refusal());
    }
  }

  /**
   * Answers a refused caller. Its body is never read, so a connection with body bytes still on the
   * way is closed after the answer rather than left to parse them as the next request.
   */
  private static void refuse(RoutingContext ctx, ApiError error) {
    if (!ctx.request().isEnded()) {
      // Vert.x would otherwise wait for the unread body before closing, however long it takes to come.
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
          .endHandler(v -> ctx.request().connection().close());
    }
    Exchange.of(ctx).fail(error);
  }

  FrontDoor messagesFront() {
    return countTokens.front();
  }

  /** The error format of a path's API: Anthropic's under {@code /v1/messages}, else OpenAI's. */
  FrontDoor frontFor(String path) {
    return path != null && path.startsWith("/v1/messages") ? messagesFront() : OpenAiFrontDoor.INSTANCE;
  }

  void notFound(RoutingContext ctx) {
    ErrorResponses.write(ctx.response(), OpenAiFrontDoor.INSTANCE, ApiError.notFound("Unknown path " + ctx.request().method() + " " + ctx.request().path()));
  }
}
