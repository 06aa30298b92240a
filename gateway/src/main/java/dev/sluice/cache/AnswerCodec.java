package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;

/**
 * A {@link CachedAnswer} as bytes (JSON), the form Redis stores and the in-process cache weighs. The
 * canonical completion is kept as the OpenAI codec writes it; an upstream's own OpenAI body, when the
 * answer came as one, is kept too (as a string, byte for byte) so hits render exactly as misses did.
 */
final class AnswerCodec {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int VERSION = 1;

  private AnswerCodec() {}

  static byte[] encode(String key, String scope, long createdAtMillis, long expiresAtMillis, long savedMicros,
      String provider, String targetModel, ChatResponse response) {
    ObjectNode o = F.objectNode().put("v", VERSION).put("key", key).put("scope", scope)
        .put("created", createdAtMillis).put("expires", expiresAtMillis).put("saved", savedMicros)
        .put("provider", provider).put("target_model", targetModel);
    TokenUsage u = response.usage();
    o.putArray("usage").add(u.input()).add(u.output()).add(u.cachedRead()).add(u.cacheWrite()).add(u.reasoning());
    o.set("completion", OpenAiResponseCodec.encodeCompletion(response.body()));
    if (response.openAiJson() != null) {
      o.put("openai", response.openAiJson().toString(java.nio.charset.StandardCharsets.UTF_8));
    }
    return Json.toBuffer(o).getBytes();
  }

  /** @throws IllegalArgumentException when the bytes are not an answer of this version */
  static CachedAnswer decode(byte[] bytes) {
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a cached answer: " + e.getMessage(), e);
    }
    if (o == null || o.path("v").asInt() != VERSION || !o.path("key").isTextual() || !o.path("scope").isTextual()) {
      throw new IllegalArgumentException("not a cached answer of version " + VERSION);
    }
    ArrayNode u = (ArrayNode) o.get("usage");
    TokenUsage usage = new TokenUsage(u.get(0).asLong(), u.get(1).asLong(), u.get(2).asLong(), u.get(3).asLong(),
        u.get(4).asLong());
    JsonNode raw = o.get("openai");
    ChatResponse response = new ChatResponse(OpenAiResponseCodec.decodeCompletion(o.get("completion")), usage,
        raw == null || !raw.isTextual() ? null : Buffer.buffer(raw.textValue()));
    return new CachedAnswer(o.get("key").textValue(), o.get("scope").textValue(), o.path("created").asLong(),
        o.path("expires").asLong(), o.path("saved").asLong(), o.path("provider").asText(),
        o.path("target_model").asText(), response, bytes.length);
  }
}
