package dev.sluice.server;

import dev.sluice.core.ApiError;
import dev.sluice.observe.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** The handlers every front verticle shares, and the steps common to all API routes. Thread-safe. */
final class FrontRoutes {
  final GatewayMetrics metrics;
  final InfoHandlers info;
  final InferenceHandler chat;
  final InferenceHandler messages;
  final CountTokensHandler countTokens;
  final EmbeddingsHandler embeddings;
  final long maxBodyBytes;
  final java.util.List<AdminMount> admin;
  final GatewayView view;
  private final ClientAuth auth;

  FrontRoutes(GatewayMetrics metrics, InfoHandlers info, InferenceHandler chat, InferenceHandler messages,
      CountTokensHandler countTokens, EmbeddingsHandler embeddings, ClientAuth auth, long maxBodyBytes,
      java.util.List<AdminMount> admin, GatewayView view) {
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

  /** Opens the request's {@link Exchange} and sets its id header; errors use {@code front}'s format. */
  Handler<RoutingContext> begin(String endpoint, FrontDoor front) {
    return ctx -> {
      long start = System.nanoTime();
      String id = RequestIds.accept(ctx.request().getHeader("x-request-id"));
      ctx.put(Exchange.KEY, new Exchange(ctx, endpoint, front, metrics, id, start));
      ctx.response().putHeader("x-request-id", id);
      if (front.requestIdHeader() != null) {
        ctx.response().putHeader(front.requestIdHeader(), id);
      }
      ctx.next();
    };
  }

  void authenticate(RoutingContext ctx) {
    if (!auth.enabled()) {
      ctx.put(Principal.KEY, Principal.ANONYMOUS);
      ctx.next();
      return;
    }
    Optional<Principal> key = auth.authenticate(ctx.request().getHeader("authorization"), ctx.request().getHeader("x-api-key"));
    if (key.isEmpty()) {
      boolean sent = ctx.request().getHeader("authorization") != null || ctx.request().getHeader("x-api-key") != null;
      Exchange.of(ctx).fail(ApiError.unauthorized(sent
          ? "Incorrect API key provided"
          : "You didn't provide an API key. Send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'"));
      return;
    }
    ctx.put(Principal.KEY, key.get());
    ctx.next();
  }

  FrontDoor messagesFront() {
    return countTokens.front();
  }

  void notFound(RoutingContext ctx) {
    ErrorResponses.write(ctx.response(), OpenAiFrontDoor.INSTANCE, ApiError.notFound("Unknown path " + ctx.request().method() + " " + ctx.request().path()));
  }
}
