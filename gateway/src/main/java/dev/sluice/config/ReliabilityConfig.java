package dev.sluice.config;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamTimeouts;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one model entry survives failing and slow providers.
 *
 * @param routing weighted | priority | least-busy | latency | cost
 * @param timeouts per-attempt deadlines; {@code total} also bounds the whole request, retries included;
 *     null fields fall back to the provider's timeouts
 * @param hedge null when hedging is off
 * @param fallbacks model entries tried, in order, once this one's targets are exhausted
 * @param onContextLength model entry for requests too long for this one (null: return the error)
 * @param onContentFilter model entry for requests this one's filter refused (null: return the error)
 * @param onError per error class: retry | fail_over | return, overriding the defaults
 * @param degraded what to answer when everything failed (null: a fast 503 with Retry-After)
 */
public record ReliabilityConfig(
    String routing, Retries retries, Breaker breaker, UpstreamTimeouts timeouts, Hedge hedge,
    List<String> fallbacks, String onContextLength, String onContentFilter, Map<ErrorClass, String> onError,
    Degraded degraded) {

  public ReliabilityConfig {
    fallbacks = List.copyOf(fallbacks);
    onError = Map.copyOf(onError);
  }

  public static ReliabilityConfig defaults() {
    return new ReliabilityConfig("weighted", Retries.DEFAULTS, Breaker.DEFAULTS, null, null, List.of(), null, null,
        Map.of(), null);
  }

  /**
   * @param maxAttempts attempts per request, retries, fail-overs, fallbacks and hedges included
   * @param sameTarget retries of one target within a request while another target or fallback is
   *     left to try (with none left, retries stay on it up to {@code maxAttempts})
   * @param budget the share of requests a target may see as extra attempts over a sliding window
   */
  public record Retries(int maxAttempts, int sameTarget, double budget, Duration backoff, Duration maxBackoff) {
    public static final Retries DEFAULTS = new Retries(3, 1, 0.2, Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  /** Per-target circuit breaker settings. */
  public record Breaker(int consecutiveFailures, double failureRate, int minimumRequests, Duration window,
      Duration cooldown, Duration maxCooldown) {
    public static final Breaker DEFAULTS = new Breaker(5, 0.5, 20, Duration.ofSeconds(30), Duration.ofSeconds(30),
        Duration.ofMinutes(5));
  }

  /**
   * @param afterPercentile e.g. 0.95 for {@code after: p95}; NaN when {@code after} is a fixed duration
   * @param after the fixed delay, or the floor used while too few latencies were seen for the percentile
   * @param maxExtra the share of requests that may be hedged
   */
  public record Hedge(double afterPercentile, Duration after, double maxExtra) {}

  /** @param answer static assistant text served when all targets failed; null for a 503 */
  public record Degraded(String answer, Duration retryAfter) {}
}
