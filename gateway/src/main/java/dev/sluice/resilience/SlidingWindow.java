package dev.sluice.resilience;

import dev.sluice.core.Ticker;
import java.time.Duration;

/**
 * Counters over a sliding time window made of equal buckets: a bucket older than the window is
 * forgotten whole, so the window really spans between {@code window - window/buckets} and
 * {@code window}. Allocation-free after construction.
 *
 * <p>Not thread-safe on its own: every owner guards it with its own lock, so that reading several
 * counters and then adding to them is one atomic step.
 */
final class SlidingWindow {
  static final int DEFAULT_BUCKETS = 10;

  private final Ticker ticker;
  private final long origin;
  private final long bucketNanos;
  private final int buckets;
  private final int counters;
  /** Which absolute bucket number each ring slot holds; Long.MIN_VALUE when never used. */
  private final long[] epochs;
  /** counts[slot * counters + counter]. */
  private final long[] counts;

  SlidingWindow(Ticker ticker, Duration window, int buckets, int counters) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    if (buckets < 1 || counters < 1) {
      throw new IllegalArgumentException("need at least one bucket and one counter");
    }
    this.ticker = ticker;
    this.origin = ticker.nanos();
    this.bucketNanos = Math.max(1, window.toNanos() / buckets);
    this.buckets = buckets;
    this.counters = counters;
    this.epochs = new long[buckets];
    this.counts = new long[buckets * counters];
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
  }

  private long epochNow() {
    return Math.floorDiv(ticker.nanos() - origin, bucketNanos);
  }

  void add(int counter, long delta) {
    long epoch = epochNow();
    int slot = (int) Math.floorMod(epoch, (long) buckets);
    if (epochs[slot] != epoch) {
      epochs[slot] = epoch;
      java.util.Arrays.fill(counts, slot * counters, slot * counters + counters, 0L);
    }
    counts[slot * counters + counter] += delta;
  }

  long sum(int counter) {
    long epoch = epochNow();
    long total = 0;
    for (int slot = 0; slot < buckets; slot++) {
      long e = epochs[slot];
      if (e != Long.MIN_VALUE && e <= epoch && epoch - e < buckets) {
        total += counts[slot * counters + counter];
      }
    }
    return total;
  }

  void reset() {
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
    java.util.Arrays.fill(counts, 0L);
  }

  /** Seconds the window covers, for per-second floors. */
  double windowSeconds() {
    return bucketNanos * (double) buckets / 1e9;
  }
}
