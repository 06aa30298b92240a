package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCallDelta;
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
import java.util.List;
import java.util.function.Consumer;

/**
 * OpenAI's Responses event stream, for a request passed through natively: each event becomes a chunk
 * carrying its own SSE frame ({@link ChatChunk#responsesSse()}) for the Responses front to relay byte
 * for byte, plus a canonical reading of what it adds (text, reasoning, tool-call argument fragments,
 * the finish and usage of {@code response.completed}) so first-token detection, usage estimates,
 * traces and the ledger work as for any stream. {@code error} and {@code response.failed} end the
 * stream with a failure (retried when no byte reached the client yet). One per stream; not
 * thread-safe; any split of the bytes gives the same chunks.
 */
final class OpenAiResponsesRelay implements StreamTranslator {
  private final SseFramer framer = new SseFramer();
  private TokenUsage usage = TokenUsage.ZERO;
  private boolean done;
  private boolean failed;

  @Override
  public void onBytes(Buffer bytes, Consumer<ChatChunk> out) {
    framer.feed(bytes, e -> onEvent(e, out));
  }

  @Override
  public void onEnd(Consumer<ChatChunk> out) {
    framer.end(e -> onEvent(e, out));
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
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(event.data());
    } catch (Exception e) {
      fail(out, 502, "the provider sent a malformed Responses event");
      return;
    }
    String type = node.path("type").asText(event.event() == null ? "" : event.event());
    ChatCompletionChunk canonical = null;
    switch (type) {
      case "error" -> {
        fail(out, 502, node.path("message").asText(node.path("error").path("message").asText("the provider failed")));
        return;
      }
      case "response.failed" -> {
        fail(out, 502, node.path("response").path("error").path("message").asText("the response failed"));
        return;
      }
      case "response.output_text.delta" -> canonical = delta(new Delta(null, node.path("delta").asText(""), null, null), null);
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
          canonical = delta(new Delta(null, null, node.path("delta").asText(""), null), null);
      case "response.function_call_arguments.delta" -> canonical = delta(new Delta(null, null, null, List.of(
          new ToolCallDelta(node.path("output_index").asInt(), null, "function", null, node.path("delta").asText("")))), null);
      case "response.completed", "response.incomplete" -> {
        done = true;
        usage = OpenAiResponsesPassThrough.usage(node.path("response").path("usage"));
        canonical = new ChatCompletionChunk(node.path("response").path("id").asText(""), 0, node.path("response")
            .path("model").asText(""), List.of(new ChunkChoice(0, new Delta(null, null, null, null),
            type.equals("response.completed") ? "stop" : "length")), usage.toOpenAi(), null);
      }
      default -> { }
    }
    out.accept(new ChatChunk(canonical, null, null, null, frame(type, event.data())));
  }

  private static ChatCompletionChunk delta(Delta delta, String finish) {
    return new ChatCompletionChunk("", 0, "", List.of(new ChunkChoice(0, delta, finish)), null, null);
  }

  private void fail(Consumer<ChatChunk> out, int status, String message) {
    failed = true;
    out.accept(ChatChunk.failure(new ApiError(status, "api_error", "upstream_error", null, SafeText.scrub(message))));
  }

  private static Buffer frame(String type, byte[] data) {
    byte[] head = ("event: " + type + "\ndata: ").getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(head.length + data.length + 2).appendBytes(head).appendBytes(data).appendString("\n\n");
  }
}
