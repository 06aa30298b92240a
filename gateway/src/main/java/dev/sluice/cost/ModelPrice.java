package dev.sluice.cost;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one model costs: base prices per million tokens for each kind of token, optional
 * long-context tiers, and where the numbers came from. Immutable and thread-safe.
 *
 * <p>The five price components mean exactly what they mean in {@link Rates} (the three nullable
 * ones fall back to input or output price); {@link #ratesFor(long)} picks the rates that apply to a
 * request of a given prompt length.
 *
 * @param inputPerMtok uncached prompt tokens, USD per million
 * @param outputPerMtok generated non-reasoning tokens
 * @param cachedInputPerMtok prompt tokens read from cache; null → input price
 * @param cacheWritePerMtok prompt tokens written to cache (Anthropic's 5-minute write); null → input
 * @param reasoningPerMtok reasoning tokens when billed apart from output; null → output price
 * @param tiers long-context tiers; stored sorted by threshold, thresholds distinct; may be empty
 * @param asOf the day the price was in force at its source; null only for a hand-written override
 *     whose date nobody recorded (every bundled price has one)
 * @param source where the price was taken from, and what about it is unconfirmed
 */
public record ModelPrice(
    Micros inputPerMtok,
    Micros outputPerMtok,
    Micros cachedInputPerMtok,
    Micros cacheWritePerMtok,
    Micros reasoningPerMtok,
    List<Tier> tiers,
    LocalDate asOf,
    String source) {

  public ModelPrice {
    // Building the base Rates validates the five prices once, in one place.
    new Rates(inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok, reasoningPerMtok);
    List<Tier> sorted = new ArrayList<>(tiers == null ? List.of() : tiers);
    sorted.sort(Comparator.comparingLong(Tier::aboveInputTokens));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).aboveInputTokens() == sorted.get(i - 1).aboveInputTokens()) {
        throw new IllegalArgumentException(
            "two tiers start above " + sorted.get(i).aboveInputTokens() + " prompt tokens");
      }
    }
    tiers = List.copyOf(sorted);
    source = source == null ? "" : source;
  }

  /** Base prices only, no tiers. */
  public static ModelPrice of(Rates base, LocalDate asOf, String source) {
    return of(base, List.of(), asOf, source);
  }

  public static ModelPrice of(Rates base, List<Tier> tiers, LocalDate asOf, String source) {
    return new ModelPrice(base.inputPerMtok(), base.outputPerMtok(), base.cachedInputPerMtok(),
        base.cacheWritePerMtok(), base.reasoningPerMtok(), tiers, asOf, source);
  }

  /**
   * A flat price from decimal USD-per-million-token strings, the shape a config override usually
   * has: {@code ModelPrice.flat("2.50", "10.00", "config")}.
   */
  public static ModelPrice flat(String inputUsdPerMtok, String outputUsdPerMtok, String source) {
    return of(Rates.of(Micros.parse(inputUsdPerMtok), Micros.parse(outputUsdPerMtok)), null, source);
  }

  /** The base prices, that apply when no tier does. */
  public Rates base() {
    return new Rates(inputPerMtok, outputPerMtok, cachedInputPerMtok, cacheWritePerMtok, reasoningPerMtok);
  }

  /**
   * The rates in force for a request whose prompt (all of it, cached or not) has
   * {@code inputTokens} tokens: the highest tier it exceeds, else the base prices.
   */
  public Rates ratesFor(long inputTokens) {
    Rates rates = base();
    for (Tier tier : tiers) { // ascending, so the last one that applies wins
      if (tier.appliesTo(inputTokens)) {
        rates = tier.rates();
      }
    }
    return rates;
  }
}
