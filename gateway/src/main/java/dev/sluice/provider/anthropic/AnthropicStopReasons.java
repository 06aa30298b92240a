package dev.sluice.provider.anthropic;

/** Anthropic {@code stop_reason} → OpenAI {@code finish_reason}. */
final class AnthropicStopReasons {
  private AnthropicStopReasons() {}

  /** The finish reason; an unknown (newer) stop reason reads as a normal stop. */
  static String toFinishReason(String stopReason) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }
}
