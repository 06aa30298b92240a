package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.TokenUsage;

/**
 * Accumulates Anthropic {@code usage} objects. Anthropic's {@code input_tokens} excludes cached
 * tokens, while the canonical input counts every prompt token (OpenAI's {@code prompt_tokens}
 * semantics), so input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens.
 * The one-hour part of the cache writes comes from {@code cache_creation.ephemeral_1h_input_tokens}.
 * Stream usage is cumulative: a later object replaces the fields it carries. Not thread-safe.
 */
final class AnthropicUsage {
  private long input;
  private long output;
  private long cacheRead;
  private long cacheWrite;
  private long cacheWrite1h;

  /** Takes the counts {@code usage} carries; absent or null fields keep their value. */
  void merge(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    input = number(usage, "input_tokens", input);
    output = number(usage, "output_tokens", output);
    cacheRead = number(usage, "cache_read_input_tokens", cacheRead);
    cacheWrite = number(usage, "cache_creation_input_tokens", cacheWrite);
    JsonNode creation = usage.get("cache_creation"); // {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}
    if (creation != null && creation.isObject()) {
      cacheWrite1h = number(creation, "ephemeral_1h_input_tokens", cacheWrite1h);
    }
  }

  TokenUsage toTokenUsage() {
    return new TokenUsage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, 0,
        Math.min(cacheWrite1h, cacheWrite));
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
