package dev.sluice.cost;

/**
 * The cost of one upstream attempt, split by kind of token. Made by {@link CostCalculator}.
 *
 * <p>{@code total} is the exact sum of every kind rounded once, half up, to a whole micro-USD. The
 * five parts are apportioned from that same total (largest remainder), so they always add up to it
 * and each is within one micro-USD of its exact value.
 *
 * @param total what the attempt costs
 * @param input uncached prompt tokens
 * @param cachedRead prompt tokens read from the provider's cache
 * @param cacheWrite prompt tokens written to the provider's cache
 * @param output generated tokens other than reasoning
 * @param reasoning reasoning tokens
 * @param priceKnown false when the model has no price: then every amount is zero, and that zero
 *     means "unknown", not "free" — callers must flag it (metrics, ledger, budgets), never treat it
 *     as a free call
 */
public record Cost(
    Micros total,
    Micros input,
    Micros cachedRead,
    Micros cacheWrite,
    Micros output,
    Micros reasoning,
    boolean priceKnown) {

  private static final Cost UNKNOWN =
      new Cost(Micros.ZERO, Micros.ZERO, Micros.ZERO, Micros.ZERO, Micros.ZERO, Micros.ZERO, false);

  public Cost {
    if (total == null || input == null || cachedRead == null || cacheWrite == null || output == null
        || reasoning == null) {
      throw new IllegalArgumentException("every part of a cost is required");
    }
  }

  /** The cost of an attempt on a model with no known price: zero, flagged unknown. */
  public static Cost unknown() {
    return UNKNOWN;
  }
}
