package dev.sluice.pipeline;

import dev.sluice.cache.CachedAnswer;
import dev.sluice.cache.Replay;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes a cached answer in the request's front door format: as JSON to a whole request, as that
 * door's SSE stream to a streaming one (the answer replayed as chunks, then the door's end of
 * stream). The whole stream goes out in one write: it is at most {@code max_entry_bytes}, already here.
 * Lives on the request's event loop.
 */
final class CachedReplay {
  private CachedReplay() {}

  static void write(RoutingContext ctx, Exchange ex, FrontDoor front, ChatRequest request, CachedAnswer hit) {
    HttpServerResponse response = ctx.response();
    ex.provider = hit.provider();
    ex.targetModel = hit.targetModel();
    if (response.closed()) {
      ex.finish(499);
      return;
    }
    ex.routingHeaders();
    if (!request.stream()) {
      Buffer body = front.encodeResponse(request, hit.response());
      if (ex.bodies != null) {
        ex.bodies.answer(body);
      }
      response.putHeader(RoutingHeaders.CONTENT_TYPE, RoutingHeaders.APPLICATION_JSON).end(body);
      ex.finish(200);
      return;
    }
    FrontStream stream = front.newStream(request);
    Buffer all = Buffer.buffer(hit.bytes() + 512);
    for (ChatChunk chunk : Replay.chunks(hit.response())) {
      stream.onChunk(chunk, all::appendBuffer);
    }
    stream.onComplete(hit.response().usage(), all::appendBuffer);
    if (ex.bodies != null) {
      ex.bodies.answerPart(all);
    }
    ex.firstToken();
    response.setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no")
        .end(all);
    ex.finish(200);
  }
}
