package dev.sluice.resilience;

import dev.sluice.core.Ticker;
import java.time.Duration;

/**
 * Extra attempts (retries, hedges) limited to a ratio of first attempts over a sliding window,
 * with a floor per second of window so a quiet target can still get some: allowed while
 * {@code extras + 1 <= max(ratio × requests, floorPerSecond × windowSeconds)}. The floor is a
 * minimum, not an addition, so under load extra attempts never exceed the ratio (Finagle adds the
 * two; a 100%-failing target then multiplies traffic by more than the configured ratio). Thread-safe: each call holds this object's monitor for a
 * few array operations.
 */
final class RatioBudget {
  private static final int REQUESTS = 0;
  private static final int EXTRAS = 1;

  private final double ratio;
  private final double floor;
  private final SlidingWindow window;

  RatioBudget(Ticker ticker, double ratio, Duration window, double floorPerSecond) {
    if (!(ratio >= 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("ratio must be a finite number ≥ 0: " + ratio);
    }
    if (!(floorPerSecond >= 0) || Double.isInfinite(floorPerSecond)) {
      throw new IllegalArgumentException("floor per second must be a finite number ≥ 0: " + floorPerSecond);
    }
    this.ratio = ratio;
    this.window = new SlidingWindow(ticker, window, SlidingWindow.DEFAULT_BUCKETS, 2);
    this.floor = floorPerSecond * this.window.windowSeconds();
  }

  synchronized void onRequest() {
    window.add(REQUESTS, 1);
  }

  synchronized boolean tryAcquire() {
    long extras = window.sum(EXTRAS);
    // The epsilon keeps 0.29 × 100 = 28.999999999999996 from refusing the 29th.
    if (extras + 1 > Math.max(ratio * window.sum(REQUESTS), floor) + 1e-9) {
      return false;
    }
    window.add(EXTRAS, 1);
    return true;
  }

  synchronized long requests() {
    return window.sum(REQUESTS);
  }

  synchronized long extras() {
    return window.sum(EXTRAS);
  }
}
