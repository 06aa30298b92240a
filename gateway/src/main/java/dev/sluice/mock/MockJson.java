package dev.sluice.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** JSON helpers shared by the responders: one configured mapper, parsing and text extraction. */
final class MockJson {

  /** Rejects trailing garbage after the JSON document, as real providers do. */
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private MockJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /**
   * Parses a request body that must be a JSON object.
   *
   * @throws IllegalArgumentException with a client-facing message if it is not
   */
  static ObjectNode parseObject(byte[] body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("request body is not valid JSON: " + firstLine(e));
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Serializes compactly; tree nodes never fail to serialize, so the checked exception is moot. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The text of a message content that is either a string or an array of parts: text parts are
   * {@code {"text": "..."}} objects (OpenAI, Anthropic and Gemini all use that field name) or bare
   * strings. Non-text parts (images, tool calls) contribute nothing.
   */
  static String textOf(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    List<String> texts = new ArrayList<>();
    if (content.isArray()) {
      for (JsonNode part : content) {
        if (part.isTextual()) {
          texts.add(part.asText());
        } else if (part.path("text").isTextual()) {
          texts.add(part.path("text").asText());
        }
      }
    }
    return String.join(" ", texts);
  }

  /** The string field {@code name}, or {@code fallback} if absent or not a string. */
  static String string(JsonNode node, String name, String fallback) {
    JsonNode v = node.path(name);
    return v.isTextual() ? v.asText() : fallback;
  }

  private static String firstLine(IOException e) {
    // getOriginalMessage() leaves out Jackson's source-location suffix, which is noise to a client.
    String msg = String.valueOf(
        e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage());
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }
}
