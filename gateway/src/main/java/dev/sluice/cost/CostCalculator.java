package dev.sluice.cost;

import dev.sluice.core.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Pure arithmetic from token counts to money. Stateless and thread-safe; no I/O.
 *
 * <h2>What each token costs</h2>
 * {@link TokenUsage#input()} counts every prompt token, cached or not, and
 * {@link TokenUsage#reasoning()} is part of {@link TokenUsage#output()}, so an attempt is split into
 * five disjoint kinds:
 * <ul>
 *   <li>uncached input = input − cachedRead − cacheWrite, at the input price;
 *   <li>cachedRead at the cached-input price (input price if none);
 *   <li>cacheWrite at the cache-write price (input price if none), except its one-hour part
 *       ({@link TokenUsage#cacheWrite1h()}) at the one-hour write price ({@link Rates#cacheWrite1h()});
 *   <li>plain output = output − reasoning, at the output price;
 *   <li>reasoning at the reasoning price (output price if none).
 * </ul>
 * The prices are those of the tier the prompt length selects ({@link ModelPrice#ratesFor(long)}).
 * Counts that contradict each other (more cached than prompt tokens, more reasoning than output,
 * negative numbers) never make a negative charge and never undercharge: a difference that would go
 * below zero counts as zero, and cached, written and reasoning tokens are charged as reported.
 *
 * <h2>Rounding — once per attempt</h2>
 * Each kind costs {@code tokens × pricePerMtok / 1,000,000} micro-USD, computed exactly in
 * {@link BigDecimal}. The exact kinds are summed and the sum is rounded half up to a whole micro-USD
 * — one rounding per attempt, so a thousand 0.4 µUSD calls are not each rounded to zero before
 * being added up; callers that add attempts (a request with retries, a day's replay) add these
 * already-rounded totals. The per-kind parts of {@link Cost} are then apportioned from the rounded
 * total by largest remainder, so they always sum to it.
 */
public final class CostCalculator {
  private static final int KINDS = 5;
  private static final int INPUT = 0;
  private static final int CACHED_READ = 1;
  private static final int CACHE_WRITE = 2;
  private static final int OUTPUT = 3;
  private static final int REASONING = 4;

  private CostCalculator() {}

  /** The cost of one attempt with known prices. */
  public static Cost cost(ModelPrice price, TokenUsage usage) {
    Cost inLongs = costInLongs(price, usage);
    return inLongs != null ? inLongs : costInBigDecimal(price, usage);
  }

  /** {@link #cost(ModelPrice, TokenUsage)} by way of {@link BigDecimal}, whatever the magnitudes. */
  static Cost costInBigDecimal(ModelPrice price, TokenUsage usage) {
    BigDecimal[] exact = exactParts(price, usage);
    BigDecimal sum = BigDecimal.ZERO;
    for (BigDecimal part : exact) {
      sum = sum.add(part);
    }
    Micros total = Micros.roundHalfUp(sum);
    long[] parts = apportion(total.value(), exact);
    return new Cost(total, Micros.of(parts[INPUT]), Micros.of(parts[CACHED_READ]),
        Micros.of(parts[CACHE_WRITE]), Micros.of(parts[OUTPUT]), Micros.of(parts[REASONING]), true);
  }

  /**
   * The cost of one attempt when the price may be missing — the usual shape at a call site:
   * {@code CostCalculator.cost(catalog.find(provider, model), usage)}.
   */
  public static Cost cost(Optional<ModelPrice> price, TokenUsage usage) {
    return price.map(p -> cost(p, usage)).orElseGet(Cost::unknown);
  }

  /** Zero, flagged {@code priceKnown = false}: see {@link Cost#unknown()}. */
  public static Cost unknown() {
    return Cost.unknown();
  }

  /** The exact, unrounded cost in micro-USD; for forecasts that scale it before rounding. */
  static BigDecimal exactMicros(ModelPrice price, TokenUsage usage) {
    BigDecimal sum = BigDecimal.ZERO;
    for (BigDecimal part : exactParts(price, usage)) {
      sum = sum.add(part);
    }
    return sum;
  }

  private static BigDecimal[] exactParts(ModelPrice price, TokenUsage usage) {
    long[] t = tokens(price, usage);
    Rates rates = price.ratesFor(t[PROMPT]);
    BigDecimal[] parts = new BigDecimal[KINDS];
    parts[INPUT] = perMtok(t[UNCACHED], rates.inputPerMtok());
    parts[CACHED_READ] = perMtok(t[CACHED], rates.effectiveCachedInput());
    parts[CACHE_WRITE] = perMtok(t[WRITE_5M], rates.effectiveCacheWrite()).add(perMtok(t[WRITE_1H], rates.cacheWrite1h()));
    parts[OUTPUT] = perMtok(t[PLAIN_OUTPUT], rates.outputPerMtok());
    parts[REASONING] = perMtok(t[REASONED], rates.effectiveReasoning());
    return parts;
  }

  private static final int PROMPT = 0;
  private static final int UNCACHED = 1;
  private static final int CACHED = 2;
  private static final int WRITE_5M = 3;
  private static final int WRITE_1H = 4;
  private static final int PLAIN_OUTPUT = 5;
  private static final int REASONED = 6;

  /** The tokens each kind is charged for, indexed by {@link #PROMPT} .. {@link #REASONED}. */
  private static long[] tokens(ModelPrice price, TokenUsage usage) {
    if (price == null || usage == null) {
      throw new IllegalArgumentException("a price and a usage are required");
    }
    long cachedRead = Math.max(0, usage.cachedRead());
    long cacheWrite = Math.max(0, usage.cacheWrite());
    long reasoning = Math.max(0, usage.reasoning());
    // The tier is chosen by the whole prompt; if an adapter left cached tokens out of input, the
    // cached and written tokens are still prompt tokens, so the larger of the two readings counts.
    long prompt = Math.max(Math.max(0, usage.input()), cachedRead + cacheWrite);
    long uncached = Math.max(0, prompt - cachedRead - cacheWrite);
    long plainOutput = Math.max(0, usage.output() - reasoning);
    long cacheWrite1h = Math.min(cacheWrite, Math.max(0, usage.cacheWrite1h()));
    return new long[] {prompt, uncached, cachedRead, cacheWrite - cacheWrite1h, cacheWrite1h, plainOutput, reasoning};
  }

  /**
   * The same cost as the {@link BigDecimal} path, computed in longs: each kind exactly as
   * {@code tokens × price} in millionths of a micro-USD, then the same half-up rounding of the sum
   * and the same largest-remainder split. Null when a product or the sum would overflow a long or
   * a price is negative (the {@code BigDecimal} path decides those). Runs once per attempt, on the
   * event loop: the {@code BigDecimal}s were most of the ledger row's allocation.
   */
  private static Cost costInLongs(ModelPrice price, TokenUsage usage) {
    long[] t = tokens(price, usage);
    Rates rates = price.ratesFor(t[PROMPT]);
    long[] exact = new long[KINDS];
    try {
      exact[INPUT] = product(t[UNCACHED], rates.inputPerMtok());
      exact[CACHED_READ] = product(t[CACHED], rates.effectiveCachedInput());
      exact[CACHE_WRITE] = Math.addExact(product(t[WRITE_5M], rates.effectiveCacheWrite()),
          product(t[WRITE_1H], rates.cacheWrite1h()));
      exact[OUTPUT] = product(t[PLAIN_OUTPUT], rates.outputPerMtok());
      exact[REASONING] = product(t[REASONED], rates.effectiveReasoning());
      long sum = 0;
      for (long part : exact) {
        sum = Math.addExact(sum, part);
      }
      long total = sum / MILLION + (sum % MILLION >= MILLION / 2 ? 1 : 0);
      long[] parts = new long[KINDS];
      long[] fractions = new long[KINDS];
      long assigned = 0;
      for (int i = 0; i < KINDS; i++) {
        parts[i] = exact[i] / MILLION;
        fractions[i] = exact[i] % MILLION;
        assigned += parts[i];
      }
      for (long left = total - assigned; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < KINDS; i++) {
          if (fractions[i] > 0 && (best < 0 || fractions[i] > fractions[best])) {
            best = i;
          }
        }
        parts[best]++;
        fractions[best] = 0;
      }
      return new Cost(Micros.of(total), Micros.of(parts[INPUT]), Micros.of(parts[CACHED_READ]),
          Micros.of(parts[CACHE_WRITE]), Micros.of(parts[OUTPUT]), Micros.of(parts[REASONING]), true);
    } catch (ArithmeticException overflowOrNegative) {
      return null;
    }
  }

  private static final long MILLION = 1_000_000L;

  /** {@code tokens × price} in millionths of a micro-USD; throws on overflow or a negative price. */
  private static long product(long tokens, Micros pricePerMtok) {
    if (pricePerMtok.value() < 0) {
      throw new ArithmeticException("negative price");
    }
    return Math.multiplyExact(tokens, pricePerMtok.value());
  }

  /** {@code tokens × price / 1e6} micro-USD, exactly (the product of two longs can pass 2^63). */
  static BigDecimal perMtok(long tokens, Micros pricePerMtok) {
    return BigDecimal.valueOf(tokens).multiply(BigDecimal.valueOf(pricePerMtok.value())).movePointLeft(6);
  }

  /**
   * Splits a rounded total over the exact parts: each part gets its floor, and the units left over
   * go to the parts with the largest fractional remainders (earlier kinds first on ties).
   */
  private static long[] apportion(long total, BigDecimal[] exact) {
    long[] parts = new long[exact.length];
    BigDecimal[] fractions = new BigDecimal[exact.length];
    long assigned = 0;
    for (int i = 0; i < exact.length; i++) {
      BigDecimal floor = exact[i].setScale(0, RoundingMode.FLOOR);
      parts[i] = floor.longValueExact();
      fractions[i] = exact[i].subtract(floor);
      assigned += parts[i];
    }
    // HALF_UP of the sum lies between the sum of floors and the number of non-zero fractions above
    // it, so there are never more leftover units than parts with a fraction to take them.
    for (long left = total - assigned; left > 0; left--) {
      int best = -1;
      for (int i = 0; i < fractions.length; i++) {
        if (fractions[i].signum() > 0 && (best < 0 || fractions[i].compareTo(fractions[best]) > 0)) {
          best = i;
        }
      }
      parts[best]++;
      fractions[best] = BigDecimal.ZERO;
    }
    return parts;
  }
}
