package dev.sluice.server.anthropic;

/** Canonical (OpenAI) {@code finish_reason} → Anthropic {@code stop_reason}. */
final class StopReasons {
  private StopReasons() {}

  /**
   * The stop reason. A plain stop of an answer that asked for tools reads as {@code tool_use}: some
   * providers finish tool calls with "stop", and Anthropic clients run tools only on tool_use. The
   * canonical form does not say whether a stop sequence ended the answer, so that is end_turn too.
   */
  static String of(String finishReason, boolean usedTools) {
    if (finishReason == null) {
      return usedTools ? "tool_use" : "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> usedTools ? "tool_use" : "end_turn";
    };
  }
}
