package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.TokenUsage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small shared pieces of the Converse wire format: paths, stop reasons, usage. */
final class BedrockWire {
  private BedrockWire() {}

  /**
   * {@code /model/{modelId}/converse[-stream]}. The id is one path segment, percent-encoded: model
   * ids carry {@code :} ({@code anthropic.claude-…-v1:0}), inference-profile ARNs {@code :} and {@code /}.
   */
  static String path(String modelId, boolean stream) {
    String id = URLEncoder.encode(modelId, StandardCharsets.UTF_8).replace("+", "%20");
    return "/model/" + id + (stream ? "/converse-stream" : "/converse");
  }

  /** Converse {@code stopReason} → OpenAI {@code finish_reason}. */
  static String finishReason(String stopReason, boolean calledTools) {
    if (stopReason == null) {
      return calledTools ? "tool_calls" : "stop";
    }
    return switch (stopReason) {
      case "tool_use" -> "tool_calls";
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "guardrail_intervened", "content_filtered" -> "content_filter";
      default -> calledTools ? "tool_calls" : "stop"; // end_turn, stop_sequence
    };
  }

  /**
   * Converse {@code usage} → canonical counts. Bedrock's {@code inputTokens} leaves out the tokens
   * read from or written to the prompt cache; the canonical input counts every prompt token.
   */
  static TokenUsage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return TokenUsage.ZERO;
    }
    long input = usage.path("inputTokens").asLong(0);
    long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
    long cacheWrite = usage.path("cacheWriteInputTokens").asLong(0);
    return new TokenUsage(input + cacheRead + cacheWrite, usage.path("outputTokens").asLong(0), cacheRead,
        cacheWrite, 0);
  }
}
