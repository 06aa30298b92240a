package dev.sluice.server.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * One event of a Responses stream, as a complete SSE frame
 * {@code event: <type>\ndata: {"type":<type>, ..., "sequence_number":n}\n\n}. Written with a
 * streaming generator (no trees on the per-delta path). Stateless.
 */
final class ResponsesSse {
  private static final JsonFactory JSON = Json.MAPPER.getFactory();

  private ResponsesSse() {}

  /** Writes the fields between {@code "type"} and {@code "sequence_number"}. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static Buffer event(String type, int sequence, Body body) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(160);
    bytes.write(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("type", type);
      body.write(g);
      g.writeNumberField("sequence_number", sequence);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    bytes.write('\n');
    bytes.write('\n');
    return Buffer.buffer(bytes.toByteArray());
  }

  /** An event whose fields are those of {@code fields} (an object), in order. */
  static Buffer fields(String type, int sequence, JsonNode fields) {
    return event(type, sequence, g -> {
      for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        g.writeFieldName(f.getKey());
        Json.MAPPER.writeTree(g, f.getValue());
      }
    });
  }

  /** A delta of one item's content ({@code output_text}, {@code reasoning_text}). */
  static Buffer contentDelta(String type, int sequence, String itemId, int outputIndex, String delta) {
    return event(type, sequence, g -> {
      g.writeStringField("item_id", itemId);
      g.writeNumberField("output_index", outputIndex);
      g.writeNumberField("content_index", 0);
      g.writeStringField("delta", delta);
      if (type.equals("response.output_text.delta")) {
        g.writeArrayFieldStart("logprobs");
        g.writeEndArray();
      }
    });
  }

  static Buffer argumentsDelta(int sequence, String itemId, int outputIndex, String delta) {
    return event("response.function_call_arguments.delta", sequence, g -> {
      g.writeStringField("item_id", itemId);
      g.writeNumberField("output_index", outputIndex);
      g.writeStringField("delta", delta);
    });
  }

  /** The terminal {@code error} event: OpenAI's error fields. */
  static Buffer error(int sequence, String code, String message, String param) {
    return event("error", sequence, g -> {
      g.writeStringField("code", code);
      g.writeStringField("message", message == null ? "" : message);
      g.writeStringField("param", param);
    });
  }
}
