package dev.sluice.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Answers OpenAI {@code POST /v1/embeddings}: each input string gets {@value #DIMENSIONS}
 * deterministic floats derived from its SHA-256, normalised to unit length (as real embedding
 * models are, so cosine-similarity code behaves). Equal inputs give equal vectors on every JVM.
 * {@code encoding_format: "base64"} is honoured because the official OpenAI SDKs request it by
 * default.
 */
final class OpenAiEmbeddings {

  static final String DEFAULT_MODEL = "mock-embedding";
  static final int DIMENSIONS = 8;

  private OpenAiEmbeddings() {}

  /**
   * Builds the embeddings response.
   *
   * @throws IllegalArgumentException if {@code input} is neither a string nor an array of strings
   */
  static ObjectNode respond(ObjectNode body) {
    List<String> inputs = inputs(body.path("input"));
    boolean base64 = "base64".equals(body.path("encoding_format").asText());
    ArrayNode data = MockJson.array();
    for (int i = 0; i < inputs.size(); i++) {
      float[] vector = vector(inputs.get(i));
      ObjectNode item = MockJson.object().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", toBase64(vector));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
      data.add(item);
    }
    int tokens = MockAnswer.promptTokens(inputs);
    ObjectNode root = MockJson.object().put("object", "list");
    root.set("data", data);
    root.put("model", MockJson.string(body, "model", DEFAULT_MODEL));
    root.set("usage", MockJson.object().put("prompt_tokens", tokens).put("total_tokens", tokens));
    return root;
  }

  /** The embedding of one input string. */
  static float[] vector(String input) {
    byte[] hash = sha256(input.getBytes(StandardCharsets.UTF_8));
    ByteBuffer buf = ByteBuffer.wrap(hash);
    float[] v = new float[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] = buf.getInt() / (float) Integer.MAX_VALUE; // 32 bytes = 8 ints, each in [-1, 1]
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }

  private static List<String> inputs(JsonNode input) {
    if (input.isTextual()) {
      return List.of(input.asText());
    }
    if (input.isArray() && !input.isEmpty()) {
      List<String> inputs = new ArrayList<>();
      for (JsonNode item : input) {
        if (!item.isTextual()) {
          throw new IllegalArgumentException("'input' array items must be strings");
        }
        inputs.add(item.asText());
      }
      return inputs;
    }
    throw new IllegalArgumentException("'input' must be a string or a non-empty array of strings");
  }

  /** Little-endian float32, which is what the SDKs decode. */
  private static String toBase64(float[] vector) {
    ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : vector) {
      buf.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory on every JVM", e);
    }
  }
}
