package dev.sluice.store.stats;

import java.util.Map;

/**
 * One bucket of one group of a stats answer: the sums of every row in it, and, when the query
 * asked for a histogram, its percentiles from the merged histogram of those rows.
 *
 * @param bucketMinute the epoch minute the bucket starts at
 * @param group the group's value ({@code provider/model} for targets); null for no grouping, or
 *     for requests without that dimension (no team, say)
 * @param timing null when the query asked for none
 * @param errorClasses the errors by error class, when the query asked for them; empty otherwise
 */
public record StatsCell(long bucketMinute, String group, long requests, long errors, long inputTokens,
    long outputTokens, long costMicros, Percentiles timing, Map<String, Long> errorClasses) {

  public StatsCell {
    errorClasses = errorClasses == null ? Map.of() : errorClasses;
  }

  /** A cell without errors by class. */
  public StatsCell(long bucketMinute, String group, long requests, long errors, long inputTokens, long outputTokens,
      long costMicros, Percentiles timing) {
    this(bucketMinute, group, requests, errors, inputTokens, outputTokens, costMicros, timing, Map.of());
  }

  /** This cell with {@code timing} instead of its own. */
  public StatsCell withTiming(Percentiles timing) {
    return new StatsCell(bucketMinute, group, requests, errors, inputTokens, outputTokens, costMicros, timing,
        errorClasses);
  }

  /**
   * A merged histogram's summary, values in microseconds; each is HdrHistogram's value at that
   * percentile (within its precision, see {@code StatsStore}). All zero when {@code count} is 0.
   */
  public record Percentiles(long count, long p50, long p90, long p95, long p99, long max) {}
}
