package dev.sluice.resilience;

import java.time.Duration;

/**
 * When a target's {@link CircuitBreaker} opens and how long it stays open. Immutable; validated
 * on construction.
 *
 * @param consecutiveFailures failures in a row that open the breaker (≥ 1)
 * @param failureRate failures / outcomes over {@code window} at or above which the breaker opens,
 *     in (0, 1]
 * @param minimumRequests outcomes the window must hold before {@code failureRate} is judged (≥ 1)
 * @param window the sliding window the failure rate is measured over (kept in 10 buckets)
 * @param cooldown how long the breaker stays open the first time
 * @param maxCooldown the cap on the cooldown, which doubles each time a probe fails
 * @param halfOpenProbes concurrent probe requests admitted once the cooldown has elapsed (≥ 1)
 */
public record BreakerConfig(int consecutiveFailures, double failureRate, int minimumRequests, Duration window,
    Duration cooldown, Duration maxCooldown, int halfOpenProbes) {

  public BreakerConfig {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException("consecutiveFailures must be at least 1: " + consecutiveFailures);
    }
    if (!(failureRate > 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be in (0, 1]: " + failureRate);
    }
    if (minimumRequests < 1) {
      throw new IllegalArgumentException("minimumRequests must be at least 1: " + minimumRequests);
    }
    requirePositive("window", window);
    requirePositive("cooldown", cooldown);
    requirePositive("maxCooldown", maxCooldown);
    if (maxCooldown.compareTo(cooldown) < 0) {
      throw new IllegalArgumentException("maxCooldown " + maxCooldown + " is shorter than cooldown " + cooldown);
    }
    if (halfOpenProbes < 1) {
      throw new IllegalArgumentException("halfOpenProbes must be at least 1: " + halfOpenProbes);
    }
  }

  /** 5 in a row, or 50% of at least 20 over 30s; 30s cooldown doubling up to 5m; one probe. */
  public static BreakerConfig defaults() {
    return new BreakerConfig(5, 0.5, 20, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5), 1);
  }

  public BreakerConfig withConsecutiveFailures(int n) {
    return new BreakerConfig(n, failureRate, minimumRequests, window, cooldown, maxCooldown, halfOpenProbes);
  }

  public BreakerConfig withFailureRate(double rate, int minimum, Duration over) {
    return new BreakerConfig(consecutiveFailures, rate, minimum, over, cooldown, maxCooldown, halfOpenProbes);
  }

  public BreakerConfig withCooldown(Duration base, Duration max) {
    return new BreakerConfig(consecutiveFailures, failureRate, minimumRequests, window, base, max, halfOpenProbes);
  }

  public BreakerConfig withHalfOpenProbes(int probes) {
    return new BreakerConfig(consecutiveFailures, failureRate, minimumRequests, window, cooldown, maxCooldown, probes);
  }

  static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
