package dev.sluice.server;

import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.UpstreamError;
import dev.sluice.observe.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * A chat inference endpoint for one front door: parse once into the canonical form, route to the
 * capable candidates, fix the request's deadline, and hand it to an {@link Execution}. Runs on the
 * request's event loop and never blocks it.
 */
final class InferenceHandler implements Handler<RoutingContext> {
  /** Header a client uses to shorten its deadline, in milliseconds. */
  static final String TIMEOUT_HEADER = "x-sluice-timeout";

  private final FrontDoor front;
  private final Services services;

  InferenceHandler(FrontDoor front, Services services) {
    this.front = front;
    this.services = services;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange ex = Exchange.of(ctx);
    ChatRequest request;
    Optional<Services.Resolved> resolved;
    Duration clientTimeout;
    try {
      request = front.parse(ctx.body().buffer());
      ex.model = request.model();
      ex.stream = request.stream();
      clientTimeout = clientTimeout(ctx.request().getHeader(TIMEOUT_HEADER));
      resolved = services.route(request.model(), request);
    } catch (FrontDoor.FrontDoorException e) {
      ex.fail(e.error());
      return;
    }
    if (resolved.isEmpty()) {
      ex.fail(ApiError.modelNotFound(request.model()));
      return;
    }
    ModelPlan plan = resolved.get().plan();
    Candidate first = resolved.get().candidates().get(0);
    Duration total = first.provider().client().endpoint().timeouts().overriddenBy(plan.timeouts()).total();
    if (clientTimeout != null && clientTimeout.compareTo(total) < 0) {
      total = clientTimeout;
    }
    new Execution(ctx, ex, front, request, services, ex.startNanos + total.toNanos())
        .start(plan, resolved.get().candidates());
  }

  private static Duration clientTimeout(String header) {
    if (header == null) {
      return null;
    }
    try {
      long ms = Long.parseLong(header.trim());
      if (ms > 0) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new FrontDoor.FrontDoorException(ApiError.invalidRequest(TIMEOUT_HEADER,
        "Header " + TIMEOUT_HEADER + " must be a positive number of milliseconds, got '" + header + "'"));
  }

  /** Counts the failed attempt and says what the client is told about it. */
  static ApiError clientError(GatewayMetrics metrics, String provider, UpstreamError e) {
    metrics.upstreamError(provider, e.errorClass().wireName());
    ApiError api = e.toApiError();
    return new ApiError(api.status(), api.type(), api.code(), api.param(),
        "Provider '" + provider + "' failed: " + e.message());
  }
}
