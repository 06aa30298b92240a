package dev.sluice.pipeline;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Consumer;

/**
 * The configured static answer served when every target of a model failed: a normal answer in the
 * client's format (streamed when a stream was asked for), marked {@code x-sluice-degraded: true}.
 */
final class DegradedAnswer {
  private DegradedAnswer() {}

  static void write(RoutingContext ctx, Exchange ex, FrontDoor front, ChatRequest request, String text) {
    if (ctx.response().closed()) {
      ex.finish(499);
      return;
    }
    long now = System.currentTimeMillis() / 1000;
    String id = "chatcmpl-degraded-" + ex.requestId;
    ex.routingHeaders();
    ctx.response().putHeader("x-sluice-degraded", "true");
    if (!request.stream()) {
      ChatCompletion body = new ChatCompletion(id, now, request.model(),
          List.of(new ChatCompletion.Choice(0, ChatMessage.of("assistant", text), "stop")),
          TokenUsage.ZERO.toOpenAi(), null);
      Buffer encoded = front.encodeResponse(request, new ChatResponse(body, TokenUsage.ZERO, null));
      if (ex.bodies != null) {
        ex.bodies.answer(encoded);
      }
      ctx.response().putHeader("content-type", "application/json").end(encoded);
      ex.finish(200);
      return;
    }
    FrontStream stream = front.newStream(request);
    ctx.response().setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache");
    ChatCompletionChunk content = new ChatCompletionChunk(id, now, request.model(), List.of(
        new ChatCompletionChunk.ChunkChoice(0, new ChatCompletionChunk.Delta("assistant", text, null, null), null)),
        null, null);
    ChatCompletionChunk finish = new ChatCompletionChunk(id, now, request.model(), List.of(
        new ChatCompletionChunk.ChunkChoice(0, new ChatCompletionChunk.Delta(null, null, null, null), "stop")),
        null, null);
    Consumer<Buffer> out = ex.bodies == null ? ctx.response()::write : event -> {
      ex.bodies.answerPart(event);
      ctx.response().write(event);
    };
    stream.onChunk(ChatChunk.of(content, null), out);
    stream.onChunk(ChatChunk.of(finish, null), out);
    stream.onComplete(TokenUsage.ZERO, out);
    ctx.response().end();
    ex.finish(200);
  }
}
