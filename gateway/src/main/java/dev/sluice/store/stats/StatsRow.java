package dev.sluice.store.stats;

import java.util.Map;
import java.util.Objects;

/**
 * One replica's totals for one minute and one series of one grain, as the stats aggregator
 * ({@code dev.sluice.observe.stats}) writes them: cumulative, so writing a newer row for the same
 * (grain, minute, replica, series) replaces the older one. Rows of different replicas are added up
 * when read.
 *
 * <p>Histograms are HdrHistogram's V2 encoding ({@code encodeIntoByteBuffer}) of values in
 * microseconds: latency, time to first token (null when no streamed request had one), and time
 * spent inside Sluice.
 *
 * @param minute epoch minute, UTC ({@code epochMillis / 60_000})
 * @param replica the writing process's id
 * @param model null when none, or outside the grain (likewise for the other dimensions)
 * @param target the upstream model name of the target (with {@code provider}: the target)
 * @param errorClasses the {@code errors} by error class ({@code upstream_timeout}, {@code http_502} …);
 *     its counts add up to {@code errors}
 */
public record StatsRow(StatsGrain grain, long minute, String replica, String model, String provider, String target,
    String keyName, String team, long requests, long errors, long inputTokens, long outputTokens, long costMicros,
    byte[] latency, byte[] ttft, byte[] overhead, Map<String, Long> errorClasses) {

  public StatsRow {
    errorClasses = errorClasses == null ? Map.of() : Map.copyOf(errorClasses);
    Objects.requireNonNull(grain, "grain");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(overhead, "overhead");
  }

  /** A row without a breakdown of its errors by class. */
  public StatsRow(StatsGrain grain, long minute, String replica, String model, String provider, String target,
      String keyName, String team, long requests, long errors, long inputTokens, long outputTokens, long costMicros,
      byte[] latency, byte[] ttft, byte[] overhead) {
    this(grain, minute, replica, model, provider, target, keyName, team, requests, errors, inputTokens, outputTokens,
        costMicros, latency, ttft, overhead, Map.of());
  }
}
