package dev.sluice.server;

import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.upstream.UpstreamCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Relays one upstream event stream to the client in its front door's format: every event is
 * written the moment it is translated (one write per event, no batching); the upstream is paused
 * while the client's write queue is full; a failure after the first byte becomes the format's
 * terminal error event. Lives on the request's event loop.
 */
final class StreamRelay {
  private final HttpServerResponse response;
  private final Exchange ex;
  private final FrontStream front;
  private final UpstreamCall call;
  private final GatewayMetrics metrics;
  private final StreamTranslator translator;
  private final String providerName;
  private boolean ended;

  StreamRelay(RoutingContext ctx, Exchange ex, FrontStream front, ProviderRuntime provider, UpstreamCall call,
      GatewayMetrics metrics, StreamTranslator translator) {
    this.response = ctx.response();
    this.ex = ex;
    this.front = front;
    this.call = call;
    this.metrics = metrics;
    this.translator = translator;
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
      // The provider reported the failure inside the stream; the translator already mapped it.
      call.cancel();
      metrics.upstreamError(providerName, chunk.error().code());
      ApiError e = chunk.error();
      endWithError(new ApiError(e.status(), e.type(), e.code(), e.param(),
          "Provider '" + providerName + "' failed: " + e.message()));
      return;
    }
    front.onChunk(chunk, this::write);
  }

  private void write(Buffer event) {
    if (!response.headWritten()) {
      writeHead();
    }
    ex.firstToken();
    response.write(event);
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
      upstreamFailed(UpstreamError.of(ErrorClass.CONNECTION, 0, "the stream ended before it was complete"));
      return;
    }
    ended = true;
    recordUsage();
    front.onComplete(translator.usage(), this::write);
    if (!response.headWritten()) {
      writeHead();
    }
    response.end();
    ex.finish(200);
  }

  private void upstreamFailed(UpstreamError error) {
    if (!ended) {
      endWithError(InferenceHandler.clientError(metrics, providerName, error));
    }
  }

  /** Before the first byte: a normal error response. After it: the format's terminal error event. */
  private void endWithError(ApiError api) {
    ended = true;
    recordUsage();
    if (!response.headWritten()) {
      ex.fail(api); // nothing sent yet: a normal error response
      return;
    }
    if (response.closed()) {
      ex.finish(499);
      return;
    }
    front.onError(api, this::write);
    response.end();
    ex.finish(api.status());
  }

  private void recordUsage() {
    metrics.tokens(ex.model, providerName, translator.usage());
  }
}
