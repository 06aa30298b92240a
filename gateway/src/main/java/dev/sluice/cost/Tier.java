package dev.sluice.cost;

/**
 * A long-context price tier: when a request's prompt is longer than {@code aboveInputTokens}
 * tokens, every token of that request — prompt, cached, written and generated alike — is priced at
 * {@code rates} instead of the model's base prices. That is how Gemini 2.5 Pro (above 200k prompt
 * tokens) and Claude Sonnet 4/4.5 (above 200k) bill; the prompt length that decides counts cached
 * and cache-written tokens too, which is what {@link dev.sluice.core.TokenUsage#input()} holds.
 *
 * @param aboveInputTokens the tier applies when the prompt has strictly more tokens than this
 * @param rates the prices in force within the tier; their nullable components fall back within
 *     the tier (a tier's cached-read price defaults to the tier's input price)
 */
public record Tier(long aboveInputTokens, Rates rates) {

  public Tier {
    if (aboveInputTokens <= 0) {
      throw new IllegalArgumentException("a tier starts above a positive prompt size: " + aboveInputTokens);
    }
    if (rates == null) {
      throw new IllegalArgumentException("a tier needs its rates");
    }
  }

  /** Whether a request whose prompt has {@code inputTokens} tokens is priced in this tier. */
  public boolean appliesTo(long inputTokens) {
    return inputTokens > aboveInputTokens;
  }
}
