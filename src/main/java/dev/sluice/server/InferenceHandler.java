package dev.sluice.server;

import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.routing.ModelRouter;
import dev.sluice.routing.Route;
import dev.sluice.upstream.UpstreamCall;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * A chat inference endpoint for one front door: parse once into the canonical form, route, call
 * the provider, answer (whole, or relayed event by event as a stream) in the client's format. Runs
 * on the request's event loop and never blocks it.
 */
final class InferenceHandler implements Handler<RoutingContext> {
  private final FrontDoor front;
  private final ModelRouter router;
  private final Providers providers;
  private final GatewayMetrics metrics;

  InferenceHandler(FrontDoor front, ModelRouter router, Providers providers, GatewayMetrics metrics) {
    this.front = front;
    this.router = router;
    this.providers = providers;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange ex = Exchange.of(ctx);
    ChatRequest request;
    try {
      request = front.parse(ctx.body().buffer());
    } catch (FrontDoor.FrontDoorException e) {
      ex.fail(e.error());
      return;
    }
    ex.model = request.model();
    ex.stream = request.stream();
    Optional<Route> route = router.route(request.model());
    if (route.isEmpty()) {
      ex.fail(ApiError.modelNotFound(request.model()));
      return;
    }
    TargetChoice choice;
    try {
      choice = TargetChoice.choose(route.get(), request, providers);
    } catch (FrontDoor.FrontDoorException e) {
      ex.fail(e.error());
      return;
    }
    Target target = choice.target();
    ProviderRuntime provider = choice.provider();
    ex.provider = provider.name();
    ex.targetModel = target.model();
    if (!choice.dropped().isEmpty()) {
      ctx.response().putHeader("x-sluice-dropped-params", String.join(",", choice.dropped()));
    }
    request = choice.request();
    UpstreamRequest encoded;
    try {
      encoded = provider.adapter().encode(request, target);
    } catch (WireFormatException e) {
      // The request is valid OpenAI but cannot be said in this provider's format.
      ex.fail(ApiError.invalidRequest(e.param(), e.getMessage() + " (target " + provider.name() + "/" + target.model() + ")"));
      return;
    }
    UpstreamCall call = provider.client().send(encoded);
    // A client that goes away cancels the provider call: nobody would read the answer.
    ctx.response().closeHandler(v -> {
      call.cancel();
      ex.finish(499);
    });
    ChatRequest sent = request;
    call.responded().onComplete(ar -> {
      if (ar.failed()) {
        upstreamFailed(ex, provider, ar.cause());
      } else if (call.status() >= 300) {
        call.body().onComplete(body -> upstreamFailed(ex, provider, body.failed() ? body.cause()
            : new UpstreamFailure(provider.adapter().classify(call.status(), call.headers(), body.result()))));
      } else if (sent.stream()) {
        new StreamRelay(ctx, ex, front.newStream(sent), provider, call, metrics,
            provider.adapter().newStreamTranslator(sent)).start();
      } else {
        relayWhole(ctx, ex, sent, provider, call);
      }
    });
  }

  private void relayWhole(RoutingContext ctx, Exchange ex, ChatRequest request, ProviderRuntime provider,
      UpstreamCall call) {
    call.body().onComplete(ar -> {
      ex.addUpstreamNanos(System.nanoTime() - call.sentAtNanos());
      if (ar.failed()) {
        upstreamFailed(ex, provider, ar.cause());
        return;
      }
      ChatResponse response;
      try {
        response = provider.adapter().decode(ar.result());
      } catch (UpstreamFailure f) {
        upstreamFailed(ex, provider, f);
        return;
      }
      metrics.tokens(ex.model, ex.provider, response.usage());
      if (ctx.response().closed()) {
        ex.finish(499);
        return;
      }
      ex.routingHeaders();
      ctx.response().putHeader("content-type", "application/json").end(front.encodeResponse(request, response));
      ex.finish(200);
    });
  }

  private void upstreamFailed(Exchange ex, ProviderRuntime provider, Throwable cause) {
    if (!(cause instanceof UpstreamFailure failure)) {
      ex.fail(ApiError.internal("Sluice failed to handle the provider's answer"));
      return;
    }
    ex.fail(clientError(metrics, provider.name(), failure.error()));
  }

  /** Counts the failed attempt and says what the client is told about it. */
  static ApiError clientError(GatewayMetrics metrics, String provider, UpstreamError e) {
    metrics.upstreamError(provider, e.errorClass().wireName());
    ApiError api = e.toApiError();
    return new ApiError(api.status(), api.type(), api.code(), api.param(),
        "Provider '" + provider + "' failed: " + e.message());
  }
}
