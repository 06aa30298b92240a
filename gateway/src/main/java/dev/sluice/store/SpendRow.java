package dev.sluice.store;

/**
 * One group of a spend report. Costs are integer micro-units and add up:
 * {@code costMicros == answerCostMicros + overheadCostMicros == spentMicros + shadowMicros} (a
 * response-cache hit costs nothing).
 *
 * @param group the group's value (see {@link SpendQuery.GroupBy}); {@code null} for rows with no
 *     team when grouping by team
 * @param requests requests, each counted once, in the group of its first attempt (attempt number 1,
 *     or 0 for a response-cache hit): read from the hourly rollup, which keeps no request ids, so a
 *     request whose fallback went to another provider counts under its first provider only
 * @param attempts ledger rows (each upstream attempt is one, and each response-cache hit)
 * @param answerCostMicros cost of attempts whose outcome is {@code ok}: the ones that answered the
 *     client
 * @param overheadCostMicros cost of every other attempt: failed tries before a retry or fallback,
 *     hedges that lost, attempts cut short by a cancel
 * @param unpricedAttempts attempts whose model had no known price ({@code price_known = false}), so
 *     whose cost is missing from the totals
 * @param spentMicros what the clients' calls cost ({@link RowKind#CALL} rows)
 * @param responseCacheSavedMicros what Sluice's response cache saved: the {@code saved_micros} of the
 *     {@link RowKind#CACHE_HIT} rows (what the original call cost)
 * @param promptCacheSavedMicros what the providers' prompt caches saved on the clients' calls: their
 *     price without the cache minus their cost, over the priced attempts that read or wrote the
 *     cache (V9's savings facts); cache writes dearer than input count against it
 * @param shadowMicros what shadow calls cost ({@link RowKind#SHADOW} rows; never a key's or team's)
 */
public record SpendRow(String group, long requests, long attempts, long inputTokens, long outputTokens,
    long cachedReadTokens, long cacheWriteTokens, long reasoningTokens, long costMicros, long answerCostMicros,
    long overheadCostMicros, long unpricedAttempts, long spentMicros, long responseCacheSavedMicros,
    long promptCacheSavedMicros, long shadowMicros) {}
