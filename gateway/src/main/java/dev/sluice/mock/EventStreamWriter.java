package dev.sluice.mock;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Writes a list of pre-framed stream events to a chunked response, one at a time.
 *
 * <p>Contract: with {@code chunk_delay=d} consecutive events are {@code d} apart (no delay before
 * the first); with {@code cut_after=n} exactly {@code n} events are sent and flushed, then the
 * connection is closed with no terminal event; if {@code n} is at least the number of events the
 * stream completes normally. Without a delay, writing pauses while the socket's write queue is full
 * so a long {@code words=} stream to a slow reader does not pile up in memory.
 */
final class EventStreamWriter {

  private final MockExchange exchange;
  private final HttpServerResponse response;
  private final String contentType;
  private final List<String> frames;
  private final long chunkDelayMs;
  private final int cutAfter;
  private int next;

  EventStreamWriter(MockExchange exchange, String contentType, List<String> frames) {
    this.exchange = exchange;
    this.response = exchange.request().response();
    this.contentType = contentType;
    this.frames = List.copyOf(frames);
    this.chunkDelayMs = exchange.spec().chunkDelay().toMillis();
    this.cutAfter = exchange.spec().cutAfter().orElse(-1);
  }

  void start() {
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (cutAfter == 0) {
      // Headers only, then the connection dies: the "stream opened but never produced" case.
      response.writeHead().onComplete(ignored -> exchange.abort());
      return;
    }
    pump();
  }

  /** Writes events until done, cut, or it has to wait for a timer or for the queue to drain. */
  private void pump() {
    while (exchange.isOpen()) {
      if (next == frames.size()) {
        response.end();
        return;
      }
      Future<Void> written = response.write(frames.get(next++));
      if (next == cutAfter && next < frames.size()) {
        // Wait for the flush: closing first could drop the last event and the client would see
        // fewer than cut_after events.
        written.onComplete(ignored -> exchange.abort());
        return;
      }
      if (chunkDelayMs > 0 && next < frames.size()) {
        exchange.vertx().setTimer(chunkDelayMs, id -> pump());
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(ignored -> {
          response.drainHandler(null); // one-shot: a later drain must not start a second pump
          pump();
        });
        return;
      }
    }
  }
}
