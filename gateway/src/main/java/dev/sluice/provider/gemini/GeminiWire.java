package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the non-streamed decoder and the stream translator share: model paths, reading a
 * candidate's parts, finish reasons and {@code usageMetadata}. Stateless.
 */
final class GeminiWire {
  static final String MALFORMED_TOOL_CALL = "malformed tool call from provider";

  private GeminiWire() {}

  /**
   * {@code /v1beta/models/{model}} with the model URL-encoded. A configured name may already carry
   * the resource prefix ({@code models/x}, {@code tunedModels/x}); it is not doubled.
   */
  static String modelPath(String model) {
    String collection = "models/";
    String name = model;
    if (model.startsWith("models/")) {
      name = model.substring("models/".length());
    } else if (model.startsWith("tunedModels/")) {
      collection = "tunedModels/";
      name = model.substring("tunedModels/".length());
    }
    return "/v1beta/" + collection + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The resource name Gemini expects inside bodies ({@code models/x}). */
  static String resourceName(String model) {
    return model.startsWith("models/") || model.startsWith("tunedModels/") ? model : "models/" + model;
  }

  /** One {@code functionCall} part: its name and its {@code args} as compact JSON text. */
  record FunctionCall(String name, String arguments) {}

  /** A candidate's parts, split by kind; text and thought are null when absent. */
  record Parts(String text, String thought, List<FunctionCall> calls) {}

  static Parts readParts(JsonNode content) {
    JsonNode parts = content == null ? null : content.get("parts");
    if (parts == null || !parts.isArray() || parts.isEmpty()) {
      return new Parts(null, null, List.of());
    }
    StringBuilder text = null;
    StringBuilder thought = null;
    List<FunctionCall> calls = List.of();
    for (JsonNode part : parts) {
      JsonNode call = part.get("functionCall");
      if (call != null && call.isObject()) {
        if (calls.isEmpty()) {
          calls = new ArrayList<>(2);
        }
        JsonNode args = call.get("args");
        calls.add(new FunctionCall(call.path("name").asText(""),
            args == null || args.isNull() ? "{}" : args.toString()));
        continue;
      }
      JsonNode t = part.get("text");
      if (t == null || !t.isTextual() || t.textValue().isEmpty()) {
        continue; // signature-only parts, executable code, inline data: nothing to relay
      }
      if (part.path("thought").asBoolean(false)) {
        thought = (thought == null ? new StringBuilder() : thought).append(t.textValue());
      } else {
        text = (text == null ? new StringBuilder() : text).append(t.textValue());
      }
    }
    return new Parts(text == null ? null : text.toString(), thought == null ? null : thought.toString(), calls);
  }

  /** Whether the finish reason means the model's tool call cannot be used. */
  static boolean isMalformed(String finishReason) {
    return "MALFORMED_FUNCTION_CALL".equals(finishReason) || "UNEXPECTED_TOOL_CALL".equals(finishReason);
  }

  /** The failure a malformed tool call becomes: transient, a retry may well succeed. */
  static UpstreamFailure malformedToolCall() {
    return new UpstreamFailure(UpstreamError.of(ErrorClass.SERVER_ERROR, 200, MALFORMED_TOOL_CALL));
  }

  /** Gemini's finish reason as OpenAI's; call {@link #isMalformed} first. */
  static String finishReason(String reason, boolean sawFunctionCalls) {
    if (reason == null) {
      return sawFunctionCalls ? "tool_calls" : "stop";
    }
    return switch (reason) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
      default -> sawFunctionCalls ? "tool_calls" : "stop";
    };
  }

  /** The prompt was refused before any candidate was generated ({@code promptFeedback.blockReason}). */
  static UpstreamFailure promptBlocked(String blockReason) {
    return new UpstreamFailure(UpstreamError.of(ErrorClass.CONTENT_FILTER, 200,
        "the provider blocked the prompt (" + blockReason + ")"));
  }

  /** The block reason when the prompt was refused, else null. */
  static String blockReason(JsonNode response) {
    JsonNode reason = response.path("promptFeedback").get("blockReason");
    return reason == null || !reason.isTextual() ? null : reason.textValue();
  }

  /** {@code usageMetadata} in canonical form; thinking tokens are output tokens, billed as such. */
  static TokenUsage usage(JsonNode meta) {
    if (meta == null || !meta.isObject()) {
      return TokenUsage.ZERO;
    }
    long thoughts = meta.path("thoughtsTokenCount").asLong(0);
    return new TokenUsage(meta.path("promptTokenCount").asLong(0),
        meta.path("candidatesTokenCount").asLong(0) + thoughts,
        meta.path("cachedContentTokenCount").asLong(0), 0, thoughts);
  }

  static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isTextual() || v.textValue().isEmpty() ? null : v.textValue();
  }
}
