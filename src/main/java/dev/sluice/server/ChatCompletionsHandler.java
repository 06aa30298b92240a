package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.routing.ModelRouter;
import dev.sluice.upstream.UpstreamCall;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/chat/completions}: parse once, route, call the provider, answer (whole, or relayed
 * event by event as a stream). Runs on the request's event loop and never blocks it.
 */
final class ChatCompletionsHandler implements Handler<RoutingContext> {
  private final ModelRouter router;
  private final Providers providers;
  private final GatewayMetrics metrics;

  ChatCompletionsHandler(ModelRouter router, Providers providers, GatewayMetrics metrics) {
    this.router = router;
    this.providers = providers;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange ex = Exchange.of(ctx);
    ChatRequest request;
    try {
      request = parse(ctx);
    } catch (RequestException e) {
      fail(ctx, ex, e.error);
      return;
    }
    ex.model = request.model();
    ex.stream = request.stream();
    Optional<List<Target>> targets = router.route(request.model());
    if (targets.isEmpty()) {
      fail(ctx, ex, ApiError.modelNotFound(request.model()));
      return;
    }
    Target target = targets.get().get(0);
    ProviderRuntime provider = providers.get(target.provider());
    ex.provider = provider.name();
    ex.targetModel = target.model();
    UpstreamCall call = provider.client().send(provider.adapter().encode(request, target));
    // A client that goes away cancels the provider call: nobody would read the answer.
    ctx.response().closeHandler(v -> {
      call.cancel();
      ex.finish(499);
    });
    call.responded().onComplete(ar -> {
      if (ar.failed()) {
        upstreamFailed(ctx, ex, provider, ar.cause());
        return;
      }
      if (call.status() >= 300) {
        call.body().onComplete(body -> upstreamFailed(ctx, ex, provider, body.failed() ? body.cause()
            : new UpstreamFailure(provider.adapter().classify(call.status(), call.headers(), body.result()))));
      } else if (request.stream()) {
        new StreamRelay(ctx, ex, request, provider, call, metrics).start();
      } else {
        relayWhole(ctx, ex, provider, call);
      }
    });
  }

  private static ChatRequest parse(RoutingContext ctx) throws RequestException {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new RequestException(ApiError.invalidRequest(null, "The request body is empty; send a JSON object"));
    }
    JsonNode json;
    try {
      json = Json.parse(body);
    } catch (Exception e) {
      throw new RequestException(ApiError.invalidRequest(null,
          "We could not parse the JSON body of your request: " + firstLine(e.getMessage())));
    }
    try {
      return new ChatRequest(OpenAiRequestCodec.decode(json));
    } catch (WireFormatException e) {
      throw new RequestException(ApiError.invalidRequest(e.param(), e.getMessage()));
    }
  }

  private void relayWhole(RoutingContext ctx, Exchange ex, ProviderRuntime provider, UpstreamCall call) {
    call.body().onComplete(ar -> {
      ex.addUpstreamNanos(System.nanoTime() - call.sentAtNanos());
      if (ar.failed()) {
        upstreamFailed(ctx, ex, provider, ar.cause());
        return;
      }
      ChatResponse response;
      try {
        response = provider.adapter().decode(ar.result());
      } catch (UpstreamFailure f) {
        upstreamFailed(ctx, ex, provider, f);
        return;
      }
      metrics.tokens(ex.model, ex.provider, response.usage());
      Buffer out = response.openAiJson() != null ? response.openAiJson()
          : Json.toBuffer(OpenAiResponseCodec.encodeCompletion(response.body()));
      HttpServerResponse res = ctx.response();
      if (res.closed()) {
        ex.finish(499);
        return;
      }
      ex.routingHeaders();
      res.putHeader("content-type", "application/json").end(out);
      ex.finish(200);
    });
  }

  private void upstreamFailed(RoutingContext ctx, Exchange ex, ProviderRuntime provider, Throwable cause) {
    if (!(cause instanceof UpstreamFailure failure)) {
      fail(ctx, ex, ApiError.internal("Sluice failed to handle the provider's answer"));
      return;
    }
    UpstreamError e = failure.error();
    metrics.upstreamError(provider.name(), e.errorClass().wireName());
    ApiError api = e.toApiError();
    fail(ctx, ex, new ApiError(api.status(), api.type(), api.code(), api.param(),
        "Provider '" + provider.name() + "' failed: " + e.message()));
  }

  static void fail(RoutingContext ctx, Exchange ex, ApiError error) {
    if (ctx.response().closed()) {
      ex.finish(499);
      return;
    }
    ex.routingHeaders();
    OpenAiErrors.write(ctx.response(), error);
    ex.finish(error.status());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }

  /** A request that cannot be served as sent. */
  static final class RequestException extends Exception {
    final transient ApiError error;

    RequestException(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
