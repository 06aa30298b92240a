/**
 * Stats rollups: per minute and per (model, provider, target, key, team), mergeable latency, TTFT
 * and overhead histograms plus counts, errors (in total and by error class), tokens and cost, kept
 * in memory by each replica ({@link dev.sluice.observe.stats.StatsAggregator}) and flushed to the
 * store's stats SPI ({@code StatsStore}, {@code StatsRow}, {@code StatsGrain},
 * {@code StatsDimension}), the only part of the store this package sees.
 */
package dev.sluice.observe.stats;
