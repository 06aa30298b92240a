package dev.sluice.provider.anthropic;

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
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Anthropic's Messages event stream → OpenAI-shaped chunks. A state machine over the events the
 * {@link SseFramer} completes, so any split of the bytes gives the same chunks. One per request;
 * not thread-safe; lives on the request's event loop.
 *
 * <p>Anthropic numbers content blocks (text, thinking and tool_use alike); OpenAI numbers tool
 * calls only. Each tool_use block gets the next OpenAI tool index when it starts. Its argument
 * fragments are kept and checked at block stop: arguments that are not one JSON object end the
 * stream with a failure — unless the message then stops for max_tokens, which OpenAI reports as
 * {@code finish_reason: "length"} with the truncated arguments.
 *
 * <p>The chunk order: role chunk (message_start), content / reasoning / tool-call deltas, a finish
 * chunk (message_delta), a usage-only chunk (message_stop, which also marks the stream complete).
 *
 * <p>Each chunk also carries the Anthropic events it was made of, and those before it that made none
 * (ping, content_block_stop, signature_delta, redacted_thinking), as whole SSE frames: the Anthropic
 * front relays them unchanged, so its clients get every signature, stop_sequence and usage field.
 */
final class AnthropicStreamTranslator implements StreamTranslator {
  static final String MALFORMED_TOOL_CALL = "malformed tool call from provider";

  private final SseFramer framer = new SseFramer();
  private final Clock clock;
  private final AnthropicUsage usage = new AnthropicUsage();
  private final Map<Integer, ToolBlock> toolBlocks = new HashMap<>();
  private String id;
  private String model;
  private long created;
  private boolean started;
  private int nextToolIndex;
  private boolean malformedToolCall;
  private boolean done;
  private boolean failed;
  /** Frames of the events since the last chunk; null when there are none. */
  private Buffer pending;

  AnthropicStreamTranslator(Clock clock) {
    this.clock = clock;
  }

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
    return usage.toTokenUsage();
  }

  private void onEvent(SseEvent event, Consumer<ChatChunk> out) {
    if (done || failed || event.data().length == 0) {
      return;
    }
    keep(event);
    JsonNode node;
    try {
      node = Json.parse(event.data());
    } catch (Exception e) {
      fail(out, 502, "upstream_error", "stream_error", "the provider sent a malformed stream event");
      return;
    }
    String type = node.path("type").asText(event.event() == null ? "" : event.event());
    switch (type) {
      case "message_start" -> messageStart(node.path("message"), out);
      case "content_block_start" -> blockStart(node.path("index").asInt(-1), node.path("content_block"), out);
      case "content_block_delta" -> blockDelta(node.path("index").asInt(-1), node.path("delta"), out);
      case "content_block_stop" -> blockStop(node.path("index").asInt(-1), out);
      case "message_delta" -> messageDelta(node, out);
      case "message_stop" -> messageStop(out);
      case "error" -> providerError(node.path("error"), out);
      default -> {
        // ping, and event types newer than this translator: nothing to say to an OpenAI client
      }
    }
  }

  private void messageStart(JsonNode message, Consumer<ChatChunk> out) {
    if (started) {
      return;
    }
    started = true;
    id = message.path("id").asText(null);
    model = message.path("model").asText(null);
    created = clock.instant().getEpochSecond();
    usage.merge(message.get("usage"));
    emit(out, new Delta("assistant", "", null, null), null);
  }

  private void blockStart(int index, JsonNode block, Consumer<ChatChunk> out) {
    switch (block.path("type").asText("")) {
      case "text" -> text(block.path("text").asText(""), out);
      case "thinking" -> reasoning(block.path("thinking").asText(""), out);
      case "tool_use" -> {
        ToolBlock tool = new ToolBlock(nextToolIndex++);
        toolBlocks.put(index, tool);
        emit(out, toolDelta(new ToolCallDelta(tool.openAiIndex, block.path("id").asText(null), "function",
            block.path("name").asText(null), "")), null);
        JsonNode input = block.get("input");
        if (input != null && input.isObject() && !input.isEmpty()) {
          arguments(tool, input.toString(), out); // input given whole rather than streamed
        }
      }
      default -> {
        // redacted_thinking, server tools: not representable in an OpenAI stream
      }
    }
  }

  private void blockDelta(int index, JsonNode delta, Consumer<ChatChunk> out) {
    switch (delta.path("type").asText("")) {
      case "text_delta" -> text(delta.path("text").asText(""), out);
      case "thinking_delta" -> reasoning(delta.path("thinking").asText(""), out);
      case "input_json_delta" -> {
        ToolBlock tool = toolBlocks.get(index);
        if (tool != null && !tool.closed) {
          arguments(tool, delta.path("partial_json").asText(""), out);
        }
      }
      default -> {
        // signature_delta, citations_delta: nothing an OpenAI client can use
      }
    }
  }

  private void blockStop(int index, Consumer<ChatChunk> out) {
    ToolBlock tool = toolBlocks.get(index);
    if (tool == null || tool.closed) {
      return;
    }
    if (tool.arguments.length() == 0) {
      arguments(tool, "{}", out); // a call without parameters: clients parse the arguments as JSON
    } else if (AnthropicJson.parseObject(tool.arguments.toString()) == null) {
      malformedToolCall = true; // decided at message_delta: a max_tokens cut is a "length" finish
    }
    tool.closed = true;
  }

  private void messageDelta(JsonNode node, Consumer<ChatChunk> out) {
    usage.merge(node.get("usage"));
    String stopReason = node.path("delta").path("stop_reason").asText(null);
    if (malformedToolCall) {
      if (!"max_tokens".equals(stopReason)) {
        fail(out, 502, "upstream_error", "stream_error", MALFORMED_TOOL_CALL);
        return;
      }
      malformedToolCall = false; // truncated by the token limit: reported as finish_reason "length"
    }
    emit(out, new Delta(null, null, null, null), AnthropicStopReasons.toFinishReason(stopReason));
  }

  private void messageStop(Consumer<ChatChunk> out) {
    if (malformedToolCall) { // a message_delta would have settled it; without one, no excuse
      fail(out, 502, "upstream_error", "stream_error", MALFORMED_TOOL_CALL);
      return;
    }
    done = true;
    out.accept(new ChatChunk(new ChatCompletionChunk(id, created, model, List.of(),
        usage.toTokenUsage().toOpenAi(), null), null, null, takePending()));
  }

  private void providerError(JsonNode error, Consumer<ChatChunk> out) {
    String message = "the provider reported an error mid-stream: " + SafeText.scrub(error.path("message").asText(""));
    if ("overloaded_error".equals(error.path("type").asText())) {
      fail(out, 503, "server_error", "upstream_overloaded", message);
    } else {
      fail(out, 502, "upstream_error", "stream_error", message);
    }
  }

  private void text(String text, Consumer<ChatChunk> out) {
    if (!text.isEmpty()) {
      emit(out, new Delta(null, text, null, null), null);
    }
  }

  private void reasoning(String text, Consumer<ChatChunk> out) {
    if (!text.isEmpty()) {
      emit(out, new Delta(null, null, text, null), null);
    }
  }

  private void arguments(ToolBlock tool, String fragment, Consumer<ChatChunk> out) {
    if (fragment.isEmpty()) {
      return;
    }
    tool.arguments.append(fragment);
    emit(out, toolDelta(new ToolCallDelta(tool.openAiIndex, null, null, null, fragment)), null);
  }

  private static Delta toolDelta(ToolCallDelta call) {
    return new Delta(null, null, null, List.of(call));
  }

  private void emit(Consumer<ChatChunk> out, Delta delta, String finishReason) {
    out.accept(new ChatChunk(new ChatCompletionChunk(id, created, model,
        List.of(new ChunkChoice(0, delta, finishReason)), null, null), null, null, takePending()));
  }

  /** The event as the SSE frame it came in (Anthropic's data is one line of JSON; more lines are kept). */
  private void keep(SseEvent event) {
    if (pending == null) {
      pending = Buffer.buffer(event.data().length + 48);
    }
    if (event.event() != null) {
      pending.appendString("event: ").appendString(event.event()).appendByte((byte) '\n');
    }
    int from = 0;
    byte[] data = event.data();
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        pending.appendString("data: ").appendBytes(data, from, i - from).appendByte((byte) '\n');
        from = i + 1;
      }
    }
    pending.appendByte((byte) '\n');
  }

  private Buffer takePending() {
    Buffer b = pending;
    pending = null;
    return b;
  }

  private void fail(Consumer<ChatChunk> out, int status, String type, String code, String message) {
    failed = true;
    pending = null;
    out.accept(ChatChunk.failure(new ApiError(status, type, code, null, message)));
  }

  /** One streamed tool_use block. */
  private static final class ToolBlock {
    final int openAiIndex;
    final StringBuilder arguments = new StringBuilder();
    boolean closed;

    ToolBlock(int openAiIndex) {
      this.openAiIndex = openAiIndex;
    }
  }
}
