package dev.sluice.store;

/**
 * One group of a spend report. Costs are integer micro-units and add up:
 * {@code costMicros == answerCostMicros + overheadCostMicros}.
 *
 * @param group the group's value (see {@link SpendQuery.GroupBy}); {@code null} for rows with no
 *     team when grouping by team
 * @param requests distinct request ids
 * @param attempts ledger rows (each upstream attempt is one)
 * @param answerCostMicros cost of attempts whose outcome is {@code ok}: the ones that answered the
 *     client
 * @param overheadCostMicros cost of every other attempt: failed tries before a retry or fallback,
 *     hedges that lost, attempts cut short by a cancel
 * @param unpricedAttempts attempts whose model had no known price ({@code price_known = false}), so
 *     whose cost is missing from the totals
 */
public record SpendRow(String group, long requests, long attempts, long inputTokens, long outputTokens,
    long cachedReadTokens, long cacheWriteTokens, long reasoningTokens, long costMicros, long answerCostMicros,
    long overheadCostMicros, long unpricedAttempts) {}
