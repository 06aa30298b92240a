package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;

/** Strict parsing of tool arguments: one JSON object and nothing after it. */
final class AnthropicJson {
  private static final ObjectReader STRICT =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private AnthropicJson() {}

  /** The object {@code text} holds, or null when it is not exactly one JSON object. */
  static ObjectNode parseObject(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      JsonNode node = STRICT.readTree(text);
      return node instanceof ObjectNode o ? o : null;
    } catch (Exception notJson) {
      return null;
    }
  }
}
