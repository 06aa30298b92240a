package dev.sluice.resilience;

import dev.sluice.core.Ticker;
import java.time.Duration;

/**
 * Limits hedged (speculative extra) attempts to at most {@code maxExtra} of requests over a sliding
 * window (10 buckets), so hedging can never add more than that share of load. No floor: a hedge
 * only ever buys latency, so a quiet model simply does not hedge until it has seen enough
 * requests. Thread-safe.
 *
 * <p>Call {@link #onRequest()} for every request that could be hedged, and
 * {@link #tryAcquireHedge()} when its hedge timer fires (a true answer counts the hedge).
 */
public final class HedgeBudget {
  public static final double DEFAULT_MAX_EXTRA = 0.10;
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

  private final RatioBudget budget;

  public HedgeBudget(Ticker ticker) {
    this(DEFAULT_MAX_EXTRA, DEFAULT_WINDOW, ticker);
  }

  /** @param maxExtra hedges per request, e.g. 0.10 */
  public HedgeBudget(double maxExtra, Duration window, Ticker ticker) {
    BreakerConfig.requirePositive("window", window);
    this.budget = new RatioBudget(ticker, maxExtra, window, 0);
  }

  public void onRequest() {
    budget.onRequest();
  }

  /** Whether a hedge may be sent now; when true, the hedge is counted. */
  public boolean tryAcquireHedge() {
    return budget.tryAcquire();
  }

  public long requestsInWindow() {
    return budget.requests();
  }

  public long hedgesInWindow() {
    return budget.extras();
  }
}
