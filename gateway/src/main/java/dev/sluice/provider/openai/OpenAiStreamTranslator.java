package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.BufferBytes;
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
 *
 * <p>Per event (the relay hot path): {@link OpenAiChunkReader} decodes the common shape in one
 * streaming pass; anything else — malformed JSON, error events, odd value types — takes
 * {@link #decodeReference}, the tree-based decoding, so those behave exactly as they always did.
 */
final class OpenAiStreamTranslator implements StreamTranslator {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final SseFramer framer = new SseFramer();
  private final OpenAiChunkReader reader = new OpenAiChunkReader();
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
    ChatCompletionChunk chunk = reader.read(event.data());
    if (chunk == null) {
      chunk = decodeReference(event.data(), out);
      if (chunk == null) {
        return;
      }
    }
    if (chunk.usage() != null) {
      usage = TokenUsage.fromOpenAi(chunk.usage());
    }
    out.accept(ChatChunk.of(chunk, BufferBytes.wrap(event.data()))); // the framer's fresh array, not copied
  }

  /** Tree parse + codec: the chunk, or null after failing the stream (malformed or error event). */
  private ChatCompletionChunk decodeReference(byte[] data, Consumer<ChatChunk> out) {
    JsonNode node;
    try {
      node = Json.parse(data);
    } catch (Exception e) {
      fail(out, "the provider sent a malformed stream event");
      return null;
    }
    if (!node.isObject()) { // valid JSON, but no chunk: [1], "text", 42, or only blanks
      fail(out, "the provider sent a malformed stream event");
      return null;
    }
    JsonNode error = node.get("error");
    if (error != null && !error.isNull()) {
      String message = error.isObject() ? error.path("message").asText("") : error.asText("");
      fail(out, "the provider reported an error mid-stream: " + SafeText.scrub(message));
      return null;
    }
    return OpenAiResponseCodec.decodeChunk(node);
  }

  private void fail(Consumer<ChatChunk> out, String message) {
    failed = true;
    out.accept(ChatChunk.failure(new ApiError(502, "upstream_error", "stream_error", null, message)));
  }
}
