package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI embeddings ⇄ Gemini {@code batchEmbedContents}: one {@code EmbedContentRequest} per input
 * string, {@code dimensions} as {@code outputDimensionality}; the answer's {@code embeddings[].values}
 * become OpenAI's {@code data[].embedding}. Gemini reports no token counts here, so usage is zero.
 */
final class GeminiEmbeddings {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private GeminiEmbeddings() {}

  static ObjectNode encode(ObjectNode body, String model) {
    JsonNode input = body.get("input");
    ObjectNode out = F.objectNode();
    ArrayNode requests = out.putArray("requests");
    if (input != null && input.isTextual()) {
      addRequest(requests, model, input.textValue(), body);
    } else if (input != null && input.isArray() && !input.isEmpty()) {
      for (int i = 0; i < input.size(); i++) {
        if (!input.get(i).isTextual()) {
          throw new WireFormatException("input", "'input[" + i + "]' must be a string: Gemini embeds text, not token ids");
        }
        addRequest(requests, model, input.get(i).textValue(), body);
      }
    } else {
      throw new WireFormatException("input", "'input' must be a string or a non-empty array of strings");
    }
    return out;
  }

  private static void addRequest(ArrayNode requests, String model, String text, ObjectNode body) {
    ObjectNode r = requests.addObject().put("model", GeminiWire.resourceName(model));
    r.putObject("content").putArray("parts").addObject().put("text", text);
    JsonNode dimensions = body.get("dimensions");
    if (dimensions != null && dimensions.isIntegralNumber()) {
      r.put("outputDimensionality", dimensions.intValue());
    }
  }

  /** @param model the model name to report; null when unknown (reported as "", a string for typed clients) */
  static EmbeddingsResponse decode(Buffer body, String model) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (Exception e) {
      throw GeminiResponseDecoder.invalidBody();
    }
    if (root == null || !root.path("embeddings").isArray()) {
      throw GeminiResponseDecoder.invalidBody();
    }
    ObjectNode out = F.objectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    JsonNode embeddings = root.get("embeddings");
    for (int i = 0; i < embeddings.size(); i++) {
      JsonNode values = embeddings.get(i).get("values");
      if (values == null || !values.isArray()) {
        throw GeminiResponseDecoder.invalidBody();
      }
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      item.set("embedding", values);
    }
    out.put("model", model == null ? "" : model);
    long prompt = root.path("usageMetadata").path("promptTokenCount").asLong(0);
    out.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
    return new EmbeddingsResponse(out, new TokenUsage(prompt, 0, 0, 0, 0));
  }
}
