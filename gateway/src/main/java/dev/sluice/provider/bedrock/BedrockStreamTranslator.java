package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import dev.sluice.provider.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ConverseStream ({@code application/vnd.amazon.eventstream}) → canonical chunks. Each event is one
 * binary frame ({@link EventStreamDecoder}) whose {@code :event-type} names it and whose payload is
 * JSON: {@code messageStart} gives the role chunk; {@code contentBlockStart} opens a tool call
 * (indexed 0, 1, 2 ... over the stream, whatever block index Bedrock gives it);
 * {@code contentBlockDelta} carries text, reasoning text or a fragment of a tool call's input;
 * {@code messageStop} the stop reason (the finish chunk); {@code metadata}, last, the usage, reported
 * in a usage-only chunk when the stream ends. A frame whose {@code :message-type} is
 * {@code exception} or {@code error} ends the stream with the front's error event, and so does a
 * broken frame (bad checksum, impossible length): nothing after it can be trusted.
 *
 * <p>One per request; not thread-safe; lives on the request's event loop. Any split of the bytes
 * gives the same chunks.
 */
final class BedrockStreamTranslator implements StreamTranslator {
  private final EventStreamDecoder decoder = new EventStreamDecoder();
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>(4);
  private final String id;
  private final long created;
  private final String model;
  private int tools;
  private boolean started;
  private boolean stopped;
  private boolean failed;
  private boolean completed;
  private TokenUsage usage = TokenUsage.ZERO;

  BedrockStreamTranslator(String id, long created, String model) {
    this.id = id;
    this.created = created;
    this.model = model;
  }

  @Override
  public void onBytes(Buffer bytes, Consumer<ChatChunk> out) {
    if (failed) {
      return;
    }
    try {
      decoder.feed(bytes, message -> onMessage(message, out));
    } catch (EventStreamDecoder.EventStreamException broken) {
      if (failed) {
        return; // an exception frame already ended the stream: what came after it in the same read is moot
      }
      fail(out, new ApiError(502, "upstream_error", "stream_error", null,
          "the provider sent a malformed event stream (" + broken.getMessage() + ")"));
    }
  }

  @Override
  public void onEnd(Consumer<ChatChunk> out) {
    if (failed || completed || !stopped) {
      return; // without messageStop the stream was cut: the relay reports it
    }
    completed = true;
    out.accept(ChatChunk.of(new ChatCompletionChunk(id, created, model, List.of(), usage.toOpenAi(), null), null));
  }

  @Override
  public boolean completed() {
    return completed;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  private void onMessage(EventStreamDecoder.Message message, Consumer<ChatChunk> out) {
    if (failed) {
      return;
    }
    String kind = message.header(":message-type");
    if ("exception".equals(kind)) {
      fail(out, BedrockErrors.streamFailure(BedrockErrors.streamException(message.header(":exception-type"),
          message.payload())));
      return;
    }
    if ("error".equals(kind)) {
      String code = message.header(":error-code");
      fail(out, BedrockErrors.streamFailure(BedrockErrors.streamException(code,
          Json.MAPPER.createObjectNode().put("message", String.valueOf(message.header(":error-message")))
              .toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      return;
    }
    String type = message.header(":event-type");
    if (type == null) {
      return;
    }
    JsonNode event;
    try {
      event = Json.MAPPER.readTree(message.payload());
    } catch (Exception e) {
      event = null;
    }
    if (event == null || !event.isObject()) {
      fail(out, new ApiError(502, "upstream_error", "stream_error", null, "the provider sent a malformed stream event"));
      return;
    }
    switch (type) {
      case "messageStart" -> start(out);
      case "contentBlockStart" -> blockStart(event, out);
      case "contentBlockDelta" -> blockDelta(event, out);
      case "messageStop" -> {
        start(out);
        stopped = true;
        emit(out, new Delta(null, null, null, null),
            BedrockWire.finishReason(event.path("stopReason").asText(null), tools > 0));
      }
      case "metadata" -> usage = BedrockWire.usage(event.get("usage"));
      default -> { } // contentBlockStop, and events added later
    }
  }

  private void start(Consumer<ChatChunk> out) {
    if (!started) {
      started = true;
      emit(out, new Delta("assistant", "", null, null), null);
    }
  }

  private void blockStart(JsonNode event, Consumer<ChatChunk> out) {
    JsonNode use = event.path("start").get("toolUse");
    if (use == null || !use.isObject()) {
      return;
    }
    start(out);
    int index = tools++;
    toolIndexByBlock.put(event.path("contentBlockIndex").asInt(), index);
    emit(out, new Delta(null, null, null, List.of(new ToolCallDelta(index, use.path("toolUseId").asText(null),
        "function", use.path("name").asText(null), ""))), null);
  }

  private void blockDelta(JsonNode event, Consumer<ChatChunk> out) {
    JsonNode delta = event.path("delta");
    start(out);
    if (delta.path("text").isTextual()) {
      String text = delta.get("text").textValue();
      if (!text.isEmpty()) {
        emit(out, new Delta(null, text, null, null), null);
      }
    } else if (delta.path("toolUse").path("input").isTextual()) {
      Integer index = toolIndexByBlock.get(event.path("contentBlockIndex").asInt());
      String fragment = delta.get("toolUse").get("input").textValue();
      if (index == null) {
        fail(out, new ApiError(502, "upstream_error", "stream_error", null,
            "the provider sent tool input for a block it never opened"));
      } else if (!fragment.isEmpty()) {
        emit(out, new Delta(null, null, null, List.of(new ToolCallDelta(index, null, null, null, fragment))), null);
      }
    } else if (delta.path("reasoningContent").path("text").isTextual()) {
      String text = delta.get("reasoningContent").get("text").textValue();
      if (!text.isEmpty()) {
        emit(out, new Delta(null, null, text, null), null);
      }
    }
  }

  private void emit(Consumer<ChatChunk> out, Delta delta, String finishReason) {
    out.accept(ChatChunk.of(new ChatCompletionChunk(id, created, model,
        List.of(new ChunkChoice(0, delta, finishReason)), null, null), null));
  }

  private void fail(Consumer<ChatChunk> out, ApiError error) {
    failed = true;
    out.accept(ChatChunk.failure(error));
  }
}
