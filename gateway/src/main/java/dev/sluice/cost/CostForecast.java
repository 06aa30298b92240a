package dev.sluice.cost;

import dev.sluice.core.TokenUsage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A steady-traffic cost forecast, what {@code sluice cost estimate --model M --rps R
 * --input-tokens I --output-tokens O [--retry-rate X]} prints:
 * <pre>
 *   perRequest = cost of one attempt of I prompt tokens and O output tokens
 *   perDay     = perRequest × R × 86,400 × (1 + X)
 *   perMonth   = perRequest × R × 86,400 × 30 × (1 + X)
 * </pre>
 * Day and month are computed from the exact, unrounded per-request cost and rounded half up once
 * each: a forecast predicts the provider's bill, and rounding a 0.4 µUSD call to zero before
 * multiplying by millions of calls would predict a free month. {@code perRequest} itself is rounded
 * once, as {@link CostCalculator} rounds every attempt.
 *
 * <p>Made by {@link #estimate}; immutable. Rates and retry rate are {@link BigDecimal} so that
 * "0.5 requests per second" stays exact (no {@code double} anywhere, DESIGN.md rule 9).
 *
 * @param perRequest one attempt, without retries
 * @param perDay 86,400 seconds of traffic, retries included
 * @param perMonth 30 days of traffic, retries included
 * @param assumptions what the numbers rest on
 */
public record CostForecast(Micros perRequest, Micros perDay, Micros perMonth, Assumptions assumptions) {
  public static final long SECONDS_PER_DAY = 86_400;
  public static final int DAYS_PER_MONTH = 30;

  /** A model the price catalog has no price for; the message says so and names models it has. */
  public static final class UnknownModel extends IllegalArgumentException {
    public UnknownModel(String message) {
      super(message);
    }
  }

  /**
   * The catalog's price of {@code model} (a catalog model id, looked up as {@link PriceCatalog#find}
   * does without a provider): what {@code sluice cost estimate|replay} and the admin API price with.
   *
   * @throws UnknownModel when the catalog has no price for it
   */
  public static ModelPrice catalogPrice(PriceCatalog catalog, String model) {
    if (model == null || model.isBlank()) {
      throw new UnknownModel("a model is required: a catalog model id such as gpt-4o-mini, claude-sonnet-4-5 or "
          + "gemini-2.5-pro");
    }
    return catalog.find(null, model.strip()).orElseThrow(() -> new UnknownModel("no price for model '" + model.strip()
        + "' in the bundled catalog (version " + catalog.version() + "); use a catalog model id such as gpt-4o-mini, "
        + "claude-sonnet-4-5 or gemini-2.5-pro"));
  }

  /**
   * What a forecast assumes. Beyond the fields: every request has the same token counts, none of
   * the prompt is a cache hit or cache write, no output is priced as reasoning apart from output,
   * and the tier is the one the prompt length selects.
   *
   * @param requestsPerSecond steady arrival rate
   * @param inputTokensPerRequest whole prompt per request
   * @param outputTokensPerRequest generated tokens per request
   * @param retryRate extra attempts per request (0.05 = one request in twenty is tried twice)
   * @param secondsPerDay always {@link #SECONDS_PER_DAY}
   * @param daysPerMonth always {@link #DAYS_PER_MONTH}
   * @param priceAsOf the day the price was in force; null if the price has no date
   * @param priceSource where the price came from
   */
  public record Assumptions(
      BigDecimal requestsPerSecond,
      long inputTokensPerRequest,
      long outputTokensPerRequest,
      BigDecimal retryRate,
      long secondsPerDay,
      int daysPerMonth,
      LocalDate priceAsOf,
      String priceSource) {}

  /**
   * Forecasts steady traffic on one model.
   *
   * @param retryRate extra attempts per request; zero when retries are negligible
   * @throws IllegalArgumentException if any number is negative
   * @throws ArithmeticException if a month of it does not fit in a {@code long} of micro-USD
   */
  public static CostForecast estimate(ModelPrice price, BigDecimal requestsPerSecond, long inputTokens,
      long outputTokens, BigDecimal retryRate) {
    if (requestsPerSecond == null || requestsPerSecond.signum() < 0) {
      throw new IllegalArgumentException("requests per second must be ≥ 0: " + requestsPerSecond);
    }
    if (retryRate == null || retryRate.signum() < 0) {
      throw new IllegalArgumentException("retry rate must be ≥ 0: " + retryRate);
    }
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must be ≥ 0");
    }
    TokenUsage one = new TokenUsage(inputTokens, outputTokens, 0, 0, 0);
    BigDecimal exactPerRequest = CostCalculator.exactMicros(price, one);
    BigDecimal perDay = exactPerRequest.multiply(requestsPerSecond)
        .multiply(BigDecimal.valueOf(SECONDS_PER_DAY))
        .multiply(BigDecimal.ONE.add(retryRate));
    BigDecimal perMonth = perDay.multiply(BigDecimal.valueOf(DAYS_PER_MONTH));
    Assumptions assumptions = new Assumptions(requestsPerSecond, inputTokens, outputTokens, retryRate,
        SECONDS_PER_DAY, DAYS_PER_MONTH, price.asOf(), price.source());
    return new CostForecast(Micros.roundHalfUp(exactPerRequest), Micros.roundHalfUp(perDay),
        Micros.roundHalfUp(perMonth), assumptions);
  }

  /**
   * What recorded traffic would have cost at another price — {@code sluice cost replay}: the sum of
   * each recorded attempt's {@link CostCalculator#cost} total (each rounded once, as it would have
   * been billed).
   *
   * @throws ArithmeticException if the sum does not fit in a {@code long} of micro-USD
   */
  public static Micros replayCost(List<TokenUsage> recorded, ModelPrice as) {
    long total = 0;
    for (TokenUsage usage : recorded) {
      total = Math.addExact(total, CostCalculator.cost(as, usage).total().value());
    }
    return Micros.of(total);
  }
}
