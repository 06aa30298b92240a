package dev.sluice.resilience;

import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * One target's retry budget: retries may be at most {@code ratio} of first attempts over a sliding
 * window (10 buckets), plus a floor of {@code minRetriesPerSecond × window} retries per window so a
 * quiet target can still retry. This is what stops retries from multiplying load on a target that
 * is failing everything. Thread-safe.
 *
 * <p>Call {@link #onRequest()} for every first attempt, and {@link #tryAcquireRetry()} before each
 * retry (a true answer counts the retry).
 */
public final class RetryBudget {
  private final RatioBudget budget;
  private final Config config;

  /**
   * @param ratio retries per first attempt, e.g. 0.2
   * @param window the sliding window, e.g. 10s
   * @param minRetriesPerSecond the floor, e.g. 1 (so 10 retries per 10s window whatever the load)
   */
  public record Config(double ratio, Duration window, double minRetriesPerSecond) {
    public Config {
      if (!(ratio >= 0) || Double.isInfinite(ratio)) {
        throw new IllegalArgumentException("ratio must be a finite number ≥ 0: " + ratio);
      }
      BreakerConfig.requirePositive("window", window);
      if (!(minRetriesPerSecond >= 0) || Double.isInfinite(minRetriesPerSecond)) {
        throw new IllegalArgumentException("minRetriesPerSecond must be a finite number ≥ 0: " + minRetriesPerSecond);
      }
    }

    /** 20% over 10s, floor 1 per second. */
    public static Config defaults() {
      return new Config(0.2, Duration.ofSeconds(10), 1);
    }
  }

  public RetryBudget(Ticker ticker) {
    this(Config.defaults(), ticker);
  }

  public RetryBudget(Config config, Ticker ticker) {
    this.config = Objects.requireNonNull(config, "config");
    this.budget = new RatioBudget(ticker, config.ratio(), config.window(), config.minRetriesPerSecond());
  }

  /** A first attempt was sent (retries are not requests: they only withdraw). */
  public void onRequest() {
    budget.onRequest();
  }

  /** Whether a retry may be sent now; when true, the retry is counted. */
  public boolean tryAcquireRetry() {
    return budget.tryAcquire();
  }

  /** First attempts in the window (for metrics and tests). */
  public long requestsInWindow() {
    return budget.requests();
  }

  /** Retries granted in the window. */
  public long retriesInWindow() {
    return budget.extras();
  }

  public Config config() {
    return config;
  }
}
