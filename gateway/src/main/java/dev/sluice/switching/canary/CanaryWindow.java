package dev.sluice.switching.canary;

import java.util.Arrays;

/**
 * The canary's requests since its current step started: how many, how many failed, how many were
 * answered slower than the {@code p95_ttft} limit, and a coarse histogram of time to first token
 * (for the p95 shown to operators). Immutable; {@link #plus} returns a new window.
 *
 * <p>The rollback rule needs no histogram: the p95 is above the limit exactly when more than 5% of
 * the requests were slower than it, so {@link #slow} is counted against the limit itself.
 */
public record CanaryWindow(long requests, long errors, long slow, long[] ttftBuckets) {
  /** Upper bounds of the TTFT buckets in milliseconds; the last bucket is everything above. */
  static final long[] BOUNDS_MS = {50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 20_000,
      30_000, 60_000};
  static final int BUCKETS = BOUNDS_MS.length + 1;
  public static final CanaryWindow EMPTY = new CanaryWindow(0, 0, 0, new long[BUCKETS]);

  public CanaryWindow {
    ttftBuckets = ttftBuckets.length == BUCKETS ? ttftBuckets.clone() : Arrays.copyOf(ttftBuckets, BUCKETS);
  }

  @Override
  public long[] ttftBuckets() {
    return ttftBuckets.clone();
  }

  static int bucketOf(long ttftMillis) {
    int i = 0;
    while (i < BOUNDS_MS.length && ttftMillis > BOUNDS_MS[i]) {
      i++;
    }
    return i;
  }

  /** This window with one more request; {@code slowLimitMillis} 0: none counts as slow. */
  CanaryWindow plus(CanaryOutcome o, long slowLimitMillis) {
    long[] b = ttftBuckets;
    if (!o.error()) {
      b = ttftBuckets.clone();
      b[bucketOf(o.ttftMillis())]++;
    }
    boolean isSlow = !o.error() && slowLimitMillis > 0 && o.ttftMillis() > slowLimitMillis;
    return new CanaryWindow(requests + 1, errors + (o.error() ? 1 : 0), slow + (isSlow ? 1 : 0), b);
  }

  /** Failed share of the window's requests; 0 when empty. */
  public double errorRate() {
    return requests == 0 ? 0 : (double) errors / requests;
  }

  /** The p95 time to first token of the answered requests, as the upper bound of its bucket; -1 when none. */
  public long p95TtftMillis() {
    long answered = 0;
    for (long c : ttftBuckets) {
      answered += c;
    }
    if (answered == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(answered * 0.95);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += ttftBuckets[i];
      if (seen >= rank) {
        return i < BOUNDS_MS.length ? BOUNDS_MS[i] : Long.MAX_VALUE;
      }
    }
    return Long.MAX_VALUE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanaryWindow w && w.requests == requests && w.errors == errors && w.slow == slow
        && Arrays.equals(w.ttftBuckets, ttftBuckets);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(requests) * 31 + Arrays.hashCode(ttftBuckets);
  }

  @Override
  public String toString() {
    return "CanaryWindow[requests=" + requests + ", errors=" + errors + ", slow=" + slow + "]";
  }
}
