package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ApiError;
import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.Json;
import dev.sluice.core.RequestJson;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.trace.AttemptSpan;
import dev.sluice.routing.ModelRouter;
import dev.sluice.routing.Route;
import dev.sluice.upstream.UpstreamCall;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** {@code POST /v1/embeddings}: validate, route to a provider that has embeddings, relay the answer. */
final class EmbeddingsHandler implements Handler<RoutingContext> {
  /** The running config's request path, read once per request at entry. */
  private final java.util.function.Supplier<Services> current;
  private final RequestJson json;

  EmbeddingsHandler(java.util.function.Supplier<Services> current, RequestJson json) {
    this.current = current;
    this.json = json;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Services services = current.get();
    ModelRouter router = services.router();
    GatewayMetrics metrics = services.metrics();
    Exchange ex = Exchange.of(ctx);
    EmbeddingsRequest request;
    try {
      request = parse(json, ctx.body().buffer());
    } catch (FrontDoor.FrontDoorException e) {
      ex.fail(e.error());
      return;
    }
    ex.model = request.model();
    Optional<Route> route = router.route(request.model());
    if (route.isEmpty()) {
      ex.fail(ApiError.modelNotFound(request.model()));
      return;
    }
    Target target = route.get().targets().get(0);
    ProviderRuntime provider = services.providers().get(target.provider());
    ex.provider = provider.name();
    ex.targetModel = target.model();
    if (provider.embeddings() == null) {
      ex.fail(ApiError.invalidRequest("model",
          "Model '" + request.model() + "' is served by provider '" + provider.name() + "', which has no embeddings API"));
      return;
    }
    UpstreamCall call;
    AttemptSpan span = null;
    try {
      UpstreamRequest encoded = provider.embeddings().encodeEmbeddings(request, target);
      if (ex.trace != null) {
        span = RequestSpans.startEmbeddings(ex, provider, target, encoded);
      }
      call = provider.client().send(encoded);
    } catch (WireFormatException e) {
      ex.fail(ApiError.invalidRequest(e.param(), e.getMessage()));
      return;
    }
    AttemptSpan traced = span;
    long sentNanos = traced == null ? 0 : System.nanoTime();
    ctx.response().closeHandler(v -> {
      call.cancel();
      if (traced != null) {
        RequestSpans.endEmbeddings(traced, "client_gone", call, null, System.nanoTime() - sentNanos);
      }
      ex.finish(499);
    });
    call.responded().compose(c -> c.body().map(body -> {
      ex.addUpstreamNanos(System.nanoTime() - c.sentAtNanos());
      if (c.status() >= 300) {
        throw new UpstreamFailure(provider.adapter().classify(c.status(), c.headers(), body));
      }
      return provider.embeddings().decodeEmbeddings(body);
    })).onComplete(ar -> {
      if (traced != null) {
        RequestSpans.endEmbeddings(traced, ar.succeeded() ? "ok" : ar.cause() instanceof UpstreamFailure f
            ? f.error().errorClass().wireName() : "server_error", call, ar.succeeded() ? ar.result() : null,
            System.nanoTime() - sentNanos);
      }
      if (ar.failed()) {
        ex.fail(ar.cause() instanceof UpstreamFailure f
            ? InferenceHandler.clientError(metrics, provider.name(), provider.redact(f.error()))
            : ApiError.internal("Sluice failed to handle the provider's answer"));
        return;
      }
      EmbeddingsResponse response = ar.result();
      metrics.tokens(ex.model, ex.provider, response.usage());
      if (ctx.response().closed()) {
        ex.finish(499);
        return;
      }
      ex.routingHeaders();
      ctx.response().putHeader("content-type", "application/json").end(Json.toBuffer(response.body()));
      ex.finish(200);
    });
  }

  /** The body of {@code POST /v1/embeddings}; a {@link FrontDoor.FrontDoorException} (a 400) when it is unusable. */
  static EmbeddingsRequest parse(RequestJson json, Buffer body) {
    JsonNode tree;
    try {
      tree = body == null || body.length() == 0 ? null : json.parse(body);
    } catch (RequestJson.Refused e) {
      throw new FrontDoor.FrontDoorException(ApiError.invalidRequest(null,
          "We could not parse the JSON body of your request" + (e.limit() ? ": " + e.getMessage() : "")));
    }
    if (tree == null || !tree.isObject()) {
      throw new FrontDoor.FrontDoorException(
          ApiError.invalidRequest(null, "The request body must be a JSON object"));
    }
    JsonNode model = tree.get("model");
    if (model == null || !model.isTextual() || model.textValue().isEmpty()) {
      throw new FrontDoor.FrontDoorException(ApiError.invalidRequest("model", "'model' is required"));
    }
    JsonNode input = tree.get("input");
    boolean valid = input != null && (input.isTextual() || input.isArray() && !input.isEmpty());
    if (!valid) {
      throw new FrontDoor.FrontDoorException(ApiError.invalidRequest("input",
          "'input' is required: a string, an array of strings, or an array of token arrays"));
    }
    return new EmbeddingsRequest(model.textValue(), (ObjectNode) tree);
  }
}
