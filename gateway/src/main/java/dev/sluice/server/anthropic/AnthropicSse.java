package dev.sluice.server.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The events of an Anthropic Messages stream, each a complete SSE event
 * {@code event: <type>\ndata: <json with "type": <type>>\n\n}. JSON is written with a streaming
 * generator (no trees on the per-delta path). Stateless; every call returns a new buffer.
 */
final class AnthropicSse {
  private static final JsonFactory JSON = Json.MAPPER.getFactory();

  private AnthropicSse() {}

  /** Writes the fields after {@code "type"} of one event's data object. */
  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static Buffer messageStart(String id, String model, long inputTokens) {
    return event("message_start", g -> {
      g.writeObjectFieldStart("message");
      g.writeStringField("id", id);
      g.writeStringField("type", "message");
      g.writeStringField("role", "assistant");
      g.writeStringField("model", model);
      g.writeArrayFieldStart("content");
      g.writeEndArray();
      g.writeNullField("stop_reason");
      g.writeNullField("stop_sequence");
      g.writeObjectFieldStart("usage");
      g.writeNumberField("input_tokens", inputTokens);
      g.writeNumberField("output_tokens", 0);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  static Buffer ping() {
    return event("ping", g -> { });
  }

  static Buffer textStart(int index) {
    return blockStart(index, "text", g -> g.writeStringField("text", ""));
  }

  static Buffer thinkingStart(int index) {
    // signature "" as in the non-streamed answer: the SDKs' thinking block type has the field.
    return blockStart(index, "thinking", g -> {
      g.writeStringField("thinking", "");
      g.writeStringField("signature", "");
    });
  }

  static Buffer toolUseStart(int index, String id, String name) {
    return blockStart(index, "tool_use", g -> {
      g.writeStringField("id", id);
      g.writeStringField("name", name);
      g.writeObjectFieldStart("input");
      g.writeEndObject();
    });
  }

  static Buffer textDelta(int index, String text) {
    return blockDelta(index, "text_delta", "text", text);
  }

  static Buffer thinkingDelta(int index, String thinking) {
    return blockDelta(index, "thinking_delta", "thinking", thinking);
  }

  static Buffer inputJsonDelta(int index, String partialJson) {
    return blockDelta(index, "input_json_delta", "partial_json", partialJson);
  }

  static Buffer blockStop(int index) {
    return event("content_block_stop", g -> g.writeNumberField("index", index));
  }

  /** The final stop reason and usage (output tokens, and the input split Anthropic reports). */
  static Buffer messageDelta(String stopReason, TokenUsage usage) {
    return event("message_delta", g -> {
      g.writeObjectFieldStart("delta");
      g.writeStringField("stop_reason", stopReason);
      g.writeNullField("stop_sequence");
      g.writeEndObject();
      g.writeObjectFieldStart("usage");
      g.writeNumberField("input_tokens", AnthropicResponseEncoder.uncachedInput(usage));
      g.writeNumberField("output_tokens", usage.output());
      g.writeNumberField("cache_read_input_tokens", usage.cachedRead());
      g.writeNumberField("cache_creation_input_tokens", usage.cacheWrite());
      g.writeEndObject();
    });
  }

  static Buffer messageStop() {
    return event("message_stop", g -> { });
  }

  static Buffer error(String type, String message) {
    return event("error", g -> {
      g.writeObjectFieldStart("error");
      g.writeStringField("type", type);
      g.writeStringField("message", message);
      g.writeEndObject();
    });
  }

  private static Buffer blockStart(int index, String blockType, Body block) {
    return event("content_block_start", g -> {
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("content_block");
      g.writeStringField("type", blockType);
      block.write(g);
      g.writeEndObject();
    });
  }

  private static Buffer blockDelta(int index, String deltaType, String field, String value) {
    return event("content_block_delta", g -> {
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("delta");
      g.writeStringField("type", deltaType);
      g.writeStringField(field, value);
      g.writeEndObject();
    });
  }

  private static Buffer event(String type, Body body) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(128);
    bytes.write(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("type", type);
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    bytes.write('\n');
    bytes.write('\n');
    return Buffer.buffer(bytes.toByteArray());
  }
}
