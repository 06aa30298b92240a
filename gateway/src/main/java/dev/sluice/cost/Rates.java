package dev.sluice.cost;

/**
 * The five per-token prices that apply to one request, each in USD per million tokens held as
 * {@link Micros} ({@code 150,000} = $0.15 per million tokens). Both the base prices of a
 * {@link ModelPrice} and each long-context {@link Tier} are a {@code Rates}.
 *
 * <p>Three prices may be null, meaning "this provider does not price that kind apart", and the
 * {@code effective…} accessors resolve them: a cached read or cache write with no price of its own
 * costs the same as uncached input, and reasoning with no price of its own costs the same as
 * output. Callers price tokens through the effective accessors, never the raw components.
 *
 * @param inputPerMtok uncached prompt tokens
 * @param outputPerMtok generated tokens other than reasoning
 * @param cachedInputPerMtok prompt tokens read from the provider's cache; null → input price
 * @param cacheWritePerMtok prompt tokens written to the cache (Anthropic's 5-minute write); null →
 *     input price
 * @param reasoningPerMtok reasoning ("thinking") tokens; null → output price
 */
public record Rates(
    Micros inputPerMtok,
    Micros outputPerMtok,
    Micros cachedInputPerMtok,
    Micros cacheWritePerMtok,
    Micros reasoningPerMtok) {

  public Rates {
    requirePrice("input", inputPerMtok, false);
    requirePrice("output", outputPerMtok, false);
    requirePrice("cached input", cachedInputPerMtok, true);
    requirePrice("cache write", cacheWritePerMtok, true);
    requirePrice("reasoning", reasoningPerMtok, true);
  }

  /** Input and output only: cached reads, cache writes and reasoning cost what their kind does. */
  public static Rates of(Micros inputPerMtok, Micros outputPerMtok) {
    return new Rates(inputPerMtok, outputPerMtok, null, null, null);
  }

  public Micros effectiveCachedInput() {
    return cachedInputPerMtok != null ? cachedInputPerMtok : inputPerMtok;
  }

  public Micros effectiveCacheWrite() {
    return cacheWritePerMtok != null ? cacheWritePerMtok : inputPerMtok;
  }

  /**
   * The price of a prompt token written to the cache for one hour: twice the uncached input price,
   * Anthropic's multiplier (its five-minute write is 1.25×, {@link #effectiveCacheWrite()}); the only
   * provider with one-hour writes, so the catalog carries no column for it.
   */
  public Micros cacheWrite1h() {
    return inputPerMtok.times(2);
  }

  public Micros effectiveReasoning() {
    return reasoningPerMtok != null ? reasoningPerMtok : outputPerMtok;
  }

  /** The dearest price a prompt token can have here: uncached, cached read, or cache write. */
  public Micros highestInput() {
    return Micros.max(inputPerMtok, Micros.max(effectiveCachedInput(), effectiveCacheWrite()));
  }

  /** The dearest price a generated token can have here: plain output or reasoning. */
  public Micros highestOutput() {
    return Micros.max(outputPerMtok, effectiveReasoning());
  }

  private static void requirePrice(String kind, Micros price, boolean nullable) {
    if (price == null) {
      if (!nullable) {
        throw new IllegalArgumentException(kind + " price is required");
      }
      return;
    }
    if (price.isNegative()) {
      throw new IllegalArgumentException(kind + " price must be ≥ 0: " + price);
    }
  }
}
