package dev.sluice.server;

import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import dev.sluice.core.UpstreamError;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.upstream.UpstreamCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Relays one upstream event stream to an OpenAI-format client stream: every event is written the
 * moment it is translated (one write per event, no batching); the upstream is paused while the
 * client's write queue is full; a failure after the first byte becomes a terminal error event.
 * Lives on the request's event loop.
 */
final class StreamRelay {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final Exchange ex;
  private final ChatRequest request;
  private final UpstreamCall call;
  private final GatewayMetrics metrics;
  private final StreamTranslator translator;
  private final String providerName;
  private boolean ended;

  StreamRelay(RoutingContext ctx, Exchange ex, ChatRequest request, ProviderRuntime provider, UpstreamCall call,
      GatewayMetrics metrics) {
    this.ctx = ctx;
    this.response = ctx.response();
    this.ex = ex;
    this.request = request;
    this.call = call;
    this.metrics = metrics;
    this.translator = provider.adapter().newStreamTranslator(request);
    this.providerName = provider.name();
  }

  void start() {
    response.drainHandler(v -> call.resume());
    call.stream(slice -> translator.onBytes(slice, this::emit), v -> upstreamEnded(), this::upstreamFailed);
  }

  private void emit(ChatChunk chunk) {
    if (ended) {
      return;
    }
    if (chunk.error() != null) {
      call.cancel();
      endWithError(chunk.error());
      return;
    }
    if (chunk.isUsageOnly() && !request.clientWantsStreamUsage()) {
      return; // Sluice asked for usage for its own accounting; the client did not.
    }
    if (!response.headWritten()) {
      writeHead();
    }
    ex.firstToken();
    Buffer json = chunk.openAiJson() != null ? chunk.openAiJson()
        : Json.toBuffer(OpenAiResponseCodec.encodeChunk(chunk.chunk()));
    response.write(Buffer.buffer(json.length() + 8).appendBytes(DATA).appendBuffer(json).appendBytes(END_OF_EVENT));
    if (response.writeQueueFull()) {
      call.pause();
    }
  }

  private void writeHead() {
    ex.addUpstreamNanos(System.nanoTime() - call.sentAtNanos());
    ex.routingHeaders();
    response.setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
  }

  private void upstreamEnded() {
    translator.onEnd(this::emit);
    if (ended) {
      return;
    }
    if (!translator.completed()) {
      endWithError(new ApiError(502, "upstream_error", "stream_cut", null,
          "Provider '" + providerName + "' ended the stream before it was complete"));
      return;
    }
    if (!response.headWritten()) {
      writeHead();
    }
    ended = true;
    recordUsage();
    response.end(DONE);
    ex.finish(200);
  }

  private void upstreamFailed(UpstreamError error) {
    metrics.upstreamError(providerName, error.errorClass().wireName());
    ApiError api = error.toApiError();
    endWithError(new ApiError(api.status(), api.type(), api.code(), api.param(),
        "Provider '" + providerName + "' failed: " + error.message()));
  }

  /** Before the first byte: a normal error response. After it: a terminal error event. */
  private void endWithError(ApiError error) {
    ended = true;
    recordUsage();
    if (response.closed()) {
      ex.finish(499);
      return;
    }
    if (!response.headWritten()) {
      ChatCompletionsHandler.fail(ctx, ex, error);
      return;
    }
    response.end(OpenAiErrors.streamEvent(error));
    ex.finish(error.status());
  }

  private void recordUsage() {
    metrics.tokens(ex.model, providerName, translator.usage());
  }
}
