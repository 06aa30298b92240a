package dev.sluice.store;

/**
 * The ledger's attempts of a time window summed for one group, read from the hourly rollup (and the
 * ledger's rows for the partial hours at the window's edges): {@link LedgerStore#totals}. Costs are
 * integer micro-units. The savings figures come from the per-request facts the accountant records on
 * the rows (V9), so rows written before V9 count in the spend and token figures but in no savings.
 *
 * @param group the group's value ({@link By}); null for the rows without a team when grouping by
 *     team, and for {@link By#ALL}
 * @param requests rows with attempt number 1 (or 0): each request counts once, in the group of its
 *     first attempt
 * @param answerCostMicros cost of the attempts with outcome {@code ok}
 * @param unpricedAttempts attempts without a known price (cost 0)
 * @param savedMicros what response-cache hits saved ({@code saved_micros})
 * @param answered answering attempts with a recorded route ({@link AnswerRoute})
 * @param rerouted of those, answered by another target than their model entry's first
 * @param reroutedFallbacks of {@code rerouted}, answered by a fallback attempt
 * @param reroutedUnpriced of {@code rerouted}, without the figures below for want of a price
 * @param routeCostMicros all attempts' cost of the priced rerouted requests
 * @param routeBaselineMicros what those answers would have cost on their model entry's first target
 * @param cacheAttempts attempts that used a provider's prompt cache, with a known price
 * @param cacheUnpriced attempts that used a provider's prompt cache, without a known price
 * @param cacheCostMicros what the {@code cacheAttempts} cost
 * @param uncachedCostMicros what they would have cost without the cache
 */
public record LedgerTotals(String group, long attempts, long requests, long inputTokens, long outputTokens,
    long cachedReadTokens, long cacheWriteTokens, long reasoningTokens, long costMicros, long answerCostMicros,
    long unpricedAttempts, long savedMicros, long answered, long rerouted, long reroutedFallbacks,
    long reroutedUnpriced, long routeCostMicros, long routeBaselineMicros, long cacheAttempts, long cacheUnpriced,
    long cacheCostMicros, long uncachedCostMicros) {

  /** What {@link LedgerStore#totals} groups by. */
  public enum By {
    /** One group for the whole window. */
    ALL,
    /** The model entry (alias) the attempt served. */
    MODEL,
    KEY,
    TEAM,
    PROVIDER,
    /** The UTC day, as {@code 2026-01-31}. */
    DAY
  }

  static LedgerTotals of(String group, long[] v) {
    return new LedgerTotals(group, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
        v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20]);
  }
}
