package dev.sluice.pipeline;

import dev.sluice.config.ReliabilityConfig;
import dev.sluice.core.UpstreamTimeouts;
import dev.sluice.resilience.Backoff;
import dev.sluice.resilience.ErrorPolicy;
import dev.sluice.resilience.HedgeBudget;
import dev.sluice.resilience.LatencyHistogram;
import dev.sluice.resilience.SameTargetCap;
import java.time.Duration;
import java.util.List;

/**
 * The reliability behaviour of one model entry at run time: its error policy, attempt limit,
 * same-target retry cap and backoff, timeouts, hedging (with its own budget and time-to-first-token
 * histogram), fallback chain and degraded answer. Immutable apart from the budget and histogram, which are thread-safe.
 *
 * @param sameTarget retries of one target per request while another target or fallback is left
 * @param timeouts model-level overrides of the providers' timeouts (fields may be null); null for none
 * @param hedge null when hedging is off
 * @param degraded null: a fast 503 with Retry-After when everything failed
 */
record ModelPlan(String name, ErrorPolicy errors, int maxAttempts, SameTargetCap sameTarget, Backoff backoff,
    UpstreamTimeouts timeouts, ReliabilityConfig.Hedge hedge, HedgeBudget hedgeBudget, LatencyHistogram ttft,
    List<String> fallbacks, String onContextLength, String onContentFilter, ReliabilityConfig.Degraded degraded) {

  /** Below this many samples the percentile is noise: hedge at the configured floor instead. */
  static final int MIN_SAMPLES_FOR_PERCENTILE = 20;

  /** How long the first attempt may go without a first token before a hedge starts. */
  Duration hedgeDelay() {
    if (Double.isNaN(hedge.afterPercentile()) || ttft.count() < MIN_SAMPLES_FOR_PERCENTILE) {
      return hedge.after();
    }
    return Duration.ofNanos(Math.max(1_000_000, ttft.percentileNanos(hedge.afterPercentile() * 100.0)));
  }
}
