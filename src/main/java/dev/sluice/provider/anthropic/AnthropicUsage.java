package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.TokenUsage;

/**
 * Accumulates Anthropic {@code usage} objects. Anthropic's {@code input_tokens} excludes cached
 * tokens, while the canonical input counts every prompt token (OpenAI's {@code prompt_tokens}
 * semantics), so input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens.
 * Stream usage is cumulative: a later object replaces the fields it carries. Not thread-safe.
 */
final class AnthropicUsage {
  private long input;
  private long output;
  private long cacheRead;
  private long cacheWrite;

  /** Takes the counts {@code usage} carries; absent or null fields keep their value. */
  void merge(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    input = number(usage, "input_tokens", input);
    output = number(usage, "output_tokens", output);
    cacheRead = number(usage, "cache_read_input_tokens", cacheRead);
    cacheWrite = number(usage, "cache_creation_input_tokens", cacheWrite);
  }

  TokenUsage toTokenUsage() {
    return new TokenUsage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, 0);
  }

  static TokenUsage of(JsonNode usage) {
    AnthropicUsage u = new AnthropicUsage();
    u.merge(usage);
    return u.toTokenUsage();
  }

  private static long number(JsonNode usage, String field, long current) {
    JsonNode v = usage.get(field);
    return v != null && v.isNumber() ? v.asLong() : current;
  }
}
