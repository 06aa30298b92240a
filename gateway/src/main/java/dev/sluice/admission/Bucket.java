package dev.sluice.admission;

import java.time.Duration;

/**
 * A leaky bucket (equivalently GCRA): a level of used units that drains continuously at
 * {@code limit} units per {@link #WINDOW}. A request of {@code cost} units fits while
 * {@code level + cost <= limit}, so a full minute's allowance may be spent in one burst and then
 * comes back smoothly — the token-bucket tolerance: in any interval of length t at most
 * {@code limit * (1 + t / WINDOW)} units pass, never more than the limit at one instant.
 *
 * <p>Not thread-safe: guarded by its owner's lock. Times are {@link dev.sluice.core.Ticker} nanos,
 * compared only by difference. {@code RedisRateLimiter}'s script applies the same arithmetic.
 */
final class Bucket {
  /** Limits are per minute. */
  static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
  static final Duration WINDOW = Duration.ofNanos(WINDOW_NANOS);

  private double level;
  private long at;
  private long emptyAt;

  /** The level now, after draining since the last update. */
  double level(long now, long limit) {
    if (level <= 0) {
      return 0;
    }
    long elapsed = Math.max(0, now - at);
    return Math.max(0, level - (double) elapsed * limit / WINDOW_NANOS);
  }

  void set(double newLevel, long now, long limit) {
    level = Math.max(0, newLevel);
    at = now;
    emptyAt = now + timeToDrain(level, 0, limit).toNanos();
  }

  /** True when the bucket has drained completely, at the rate of its last update. */
  boolean empty(long now) {
    return level <= 0 || now - emptyAt >= 0;
  }

  /** How long until {@code level} has drained to {@code target} (zero when already there). */
  static Duration timeToDrain(double level, double target, long limit) {
    double excess = level - target;
    if (excess <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(excess * WINDOW_NANOS / limit));
  }

  static long remaining(double level, long limit) {
    return Math.max(0, (long) Math.floor(limit - level + 1e-9));
  }
}
