package dev.sluice.cost;

import java.math.BigDecimal;

/**
 * The most a request can cost, for reserving budget before it is sent (admission reserves this,
 * then settles on the {@link Cost} of what actually happened). Stateless and thread-safe.
 *
 * <p>The bound: every prompt token at the dearest price a prompt token can have in the tier the
 * prompt length selects (uncached, cached read or cache write — an Anthropic cache write costs more
 * than plain input), and every output token at the dearer of output and reasoning. It is at least
 * {@link CostCalculator#cost} of any usage with {@code input == estimatedInputTokens} and
 * {@code output ≤ maxOutputTokens}, however the tokens split between kinds, because each kind is
 * priced no higher than the bound and rounding half up is monotone.
 *
 * <p>If the prompt estimate is low and the real prompt crosses into a dearer tier, the real cost can
 * exceed the bound; callers that estimate roughly should estimate high.
 */
public final class WorstCase {
  private WorstCase() {}

  /**
   * @param estimatedInputTokens the whole prompt, cached or not
   * @param maxOutputTokens the request's output cap ({@code max_tokens}), reasoning included
   * @throws IllegalArgumentException if a count is negative
   */
  public static Micros worstCase(ModelPrice price, long estimatedInputTokens, long maxOutputTokens) {
    if (estimatedInputTokens < 0 || maxOutputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be ≥ 0: input " + estimatedInputTokens + ", output " + maxOutputTokens);
    }
    Rates rates = price.ratesFor(estimatedInputTokens);
    Micros input = rates.highestInput();
    Micros output = rates.highestOutput();
    if (input.value() >= 0 && output.value() >= 0) {
      // In longs (millionths of a micro-USD), as CostCalculator does per attempt: this runs on the
      // event loop for every request, and the BigDecimals were most of what it allocated.
      try {
        long exact = Math.addExact(Math.multiplyExact(estimatedInputTokens, input.value()),
            Math.multiplyExact(maxOutputTokens, output.value()));
        return Micros.of(exact / 1_000_000 + (exact % 1_000_000 >= 500_000 ? 1 : 0));
      } catch (ArithmeticException overflow) {
        // the exact path below
      }
    }
    BigDecimal exact = CostCalculator.perMtok(estimatedInputTokens, input)
        .add(CostCalculator.perMtok(maxOutputTokens, output));
    return Micros.roundHalfUp(exact);
  }
}
