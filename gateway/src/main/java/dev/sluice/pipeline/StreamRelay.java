package dev.sluice.pipeline;

import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.UpstreamError;
import dev.sluice.observe.GatewayMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Relays a committed streamed attempt to the client in its front door's format: the events buffered
 * up to the first token leave with the head in one write, every later event is written the moment
 * it is translated (one write per event, no batching); the upstream is paused
 * while the client's write queue is full; a failure now that bytes have been sent becomes the
 * format's terminal error event — never a retry. Lives on the request's event loop.
 */
final class StreamRelay implements UpstreamAttempt.Sink {
  private final HttpServerResponse response;
  private final Exchange ex;
  private final FrontStream front;
  private final UpstreamAttempt attempt;
  private final GatewayMetrics metrics;
  private final boolean drainOnClientDisconnect;
  private final TargetActivity activity;
  private boolean ended;
  private boolean clientGone;
  /**
   * While the buffered start is replayed: what it wrote so far, sent with the head in one write (one
   * flush, one system call) when the replay is over; null after.
   */
  private Buffer held;
  private boolean holding;

  StreamRelay(RoutingContext ctx, Exchange ex, FrontStream front, UpstreamAttempt attempt, GatewayMetrics metrics,
      boolean drainOnClientDisconnect, TargetActivity activity) {
    this.response = ctx.response();
    this.activity = activity;
    this.ex = ex;
    this.front = front;
    this.attempt = attempt;
    this.metrics = metrics;
    this.drainOnClientDisconnect = drainOnClientDisconnect;
  }

  void start() {
    response.drainHandler(v -> attempt.resume());
    response.closeHandler(v -> onClientGone());
    holding = true;
    attempt.relayTo(this);
    sendHeld();
  }

  /**
   * The client hung up mid-stream. Draining keeps reading the provider's stream (output discarded)
   * to its final usage, so the attempt is billed exactly; cancelling stops it, and its usage is
   * then an estimate.
   */
  private void onClientGone() {
    if (ended || clientGone) {
      return;
    }
    clientGone = true;
    ex.clientDisconnected = true;
    if (drainOnClientDisconnect) {
      attempt.resume(); // it may be paused on the write queue this client will never drain
      return;
    }
    ended = true;
    attempt.cancel("client_gone");
    recordUsage();
    ex.finish(499);
  }

  @Override
  public void chunk(ChatChunk chunk) {
    if (ex.chunkTap != null) {
      ex.chunkTap.accept(chunk);
    }
    if (chunk.chunk() != null) {
      ex.answered(chunk.chunk().id());
    }
    if (!ended && !clientGone) {
      front.onChunk(chunk, this::write);
    }
  }

  private void write(Buffer event) {
    if (ex.bodies != null) {
      ex.bodies.answerPart(event);
    }
    if (holding) {
      if (held == null) {
        held = Buffer.buffer(2 * event.length() + 128); // typically the role event and the first token
      }
      held.appendBuffer(event);
      return;
    }
    send(event);
  }

  private void send(Buffer data) {
    if (!response.headWritten()) {
      writeHead();
    }
    ex.firstToken();
    response.write(data);
    if (response.writeQueueFull()) {
      attempt.pause();
    }
  }

  /** Ends the replay of the buffered start: what it wrote goes out now, in one write. */
  private void sendHeld() {
    holding = false;
    Buffer start = held;
    held = null;
    if (start != null && !clientGone && !response.ended()) {
      send(start);
    }
  }

  private void writeHead() {
    ex.addUpstreamNanos(System.nanoTime() - attempt.sentAtNanos());
    ex.routingHeaders();
    response.setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
  }

  @Override
  public void end() {
    if (ended) {
      return;
    }
    ended = true;
    recordUsage();
    if (clientGone) {
      ex.finish(499);
      return;
    }
    front.onComplete(attempt.translator().usage(), this::write);
    sendHeld(); // a stream that ended during the replay: its whole answer in one write
    if (!response.headWritten()) {
      writeHead();
    }
    response.end();
    ex.finish(200);
  }

  @Override
  public void failed(UpstreamError error) {
    if (ended) {
      return;
    }
    ended = true;
    recordUsage();
    metrics.upstreamError(attempt.provider().name(), error.errorClass().wireName());
    activity.failed(attempt.target(), error); // redacted by the attempt, as every error it reports
    if (clientGone) {
      ex.finish(499);
      return;
    }
    ApiError shown = error.toApiError(attempt.provider().name());
    sendHeld(); // what the client was already due is sent before the error event, as ever
    if (!response.headWritten()) {
      ex.fail(shown);
      return;
    }
    if (response.closed()) {
      ex.finish(499);
      return;
    }
    front.onError(shown, this::write);
    response.end();
    ex.errorClass = shown.code();
    ex.finish(shown.status());
  }

  private void recordUsage() {
    metrics.tokens(ex.model, attempt.provider().name(), attempt.translator().usage());
  }
}
