package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import dev.sluice.provider.SafeText;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.upstream.SseEvent;
import dev.sluice.upstream.SseFramer;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * OpenAI-format event stream → canonical chunks. Each chunk keeps the upstream's own JSON bytes so
 * the OpenAI front door can relay it verbatim. An {@code error} event ends the stream with a failure.
 */
final class OpenAiStreamTranslator implements StreamTranslator {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final SseFramer framer = new SseFramer();
  private TokenUsage usage = TokenUsage.ZERO;
  private boolean done;
  private boolean failed;

  @Override
  public void onBytes(Buffer bytes, Consumer<ChatChunk> out) {
    framer.feed(bytes, event -> onEvent(event, out));
  }

  @Override
  public void onEnd(Consumer<ChatChunk> out) {
    framer.end(event -> onEvent(event, out));
  }

  @Override
  public boolean completed() {
    return done;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  private void onEvent(SseEvent event, Consumer<ChatChunk> out) {
    if (done || failed || event.data().length == 0) {
      return;
    }
    if (event.dataEquals(DONE)) {
      done = true;
      return;
    }
    JsonNode node;
    try {
      node = Json.parse(event.data());
    } catch (Exception e) {
      fail(out, "the provider sent a malformed stream event");
      return;
    }
    JsonNode error = node.get("error");
    if (error != null && !error.isNull()) {
      String message = error.isObject() ? error.path("message").asText("") : error.asText("");
      fail(out, "the provider reported an error mid-stream: " + SafeText.scrub(message));
      return;
    }
    ChatCompletionChunk chunk = OpenAiResponseCodec.decodeChunk(node);
    if (chunk.usage() != null) {
      usage = TokenUsage.fromOpenAi(chunk.usage());
    }
    out.accept(ChatChunk.of(chunk, Buffer.buffer(event.data())));
  }

  private void fail(Consumer<ChatChunk> out, String message) {
    failed = true;
    out.accept(ChatChunk.failure(new ApiError(502, "upstream_error", "stream_error", null, message)));
  }
}
