package dev.sluice.core;

import dev.sluice.api.openai.Usage;

/**
 * Canonical token counts of one upstream call, each kind kept apart because each is priced apart.
 * {@code input} counts every prompt token including cached ones; {@code cachedRead} and
 * {@code cacheWrite} say how many of them were read from or written to the provider's cache;
 * {@code reasoning} is part of {@code output}. {@code cacheWrite1h} is the part of {@code cacheWrite}
 * written with a one-hour lifetime (Anthropic prices it apart from the default five-minute write).
 */
public record TokenUsage(long input, long output, long cachedRead, long cacheWrite, long reasoning, long cacheWrite1h) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

  /** Without one-hour cache writes (every provider but Anthropic). */
  public TokenUsage(long input, long output, long cachedRead, long cacheWrite, long reasoning) {
    this(input, output, cachedRead, cacheWrite, reasoning, 0);
  }

  public long total() {
    return input + output;
  }

  /** Both counts together, kind by kind (the usage of several attempts). */
  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(input + o.input, output + o.output, cachedRead + o.cachedRead, cacheWrite + o.cacheWrite,
        reasoning + o.reasoning, cacheWrite1h + o.cacheWrite1h);
  }

  public static TokenUsage fromOpenAi(Usage u) {
    if (u == null) {
      return ZERO;
    }
    return new TokenUsage(u.promptTokens(), u.completionTokens(),
        u.cachedTokens() == null ? 0 : u.cachedTokens(), 0,
        u.reasoningTokens() == null ? 0 : u.reasoningTokens());
  }

  public Usage toOpenAi() {
    return new Usage(input, output, input + output, cachedRead, reasoning);
  }
}
