package dev.sluice.resilience;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Full-jitter exponential backoff: the n-th retry waits a uniformly random time in
 * {@code [0, min(cap, base·2^(n-1))]} (AWS Architecture Blog, "Exponential Backoff and Jitter").
 * Immutable and thread-safe; randomness is passed in so tests can seed it.
 *
 * @param base the upper bound of the first retry's delay
 * @param cap the largest upper bound any retry's delay may have
 */
public record Backoff(Duration base, Duration cap) {
  public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(2);

  public Backoff {
    if (base == null || base.isNegative()) {
      throw new IllegalArgumentException("base must be ≥ 0: " + base);
    }
    if (cap == null || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap " + cap + " must be ≥ base " + base);
    }
  }

  /** 100ms base, 2s cap. */
  public static Backoff defaults() {
    return new Backoff(DEFAULT_BASE, DEFAULT_CAP);
  }

  /** The upper bound of the delay before retry number {@code retryNumber} (1-based). */
  public Duration ceiling(int retryNumber) {
    if (retryNumber < 1) {
      throw new IllegalArgumentException("retry numbers start at 1: " + retryNumber);
    }
    long capNanos = cap.toNanos();
    long bound = base.toNanos();
    for (int i = 1; i < retryNumber && bound < capNanos; i++) {
      bound = bound > capNanos / 2 ? capNanos : bound * 2;
    }
    return Duration.ofNanos(Math.min(bound, capNanos));
  }

  /** A random delay in {@code [0, ceiling(retryNumber)]}. */
  public Duration delay(int retryNumber, RandomGenerator random) {
    long bound = ceiling(retryNumber).toNanos();
    return bound == 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(bound + 1));
  }

  /**
   * The jittered delay, but never less than what the upstream asked for: {@code max(delay,
   * retryAfter)}. A null {@code retryAfter} means the upstream said nothing.
   */
  public Duration delay(int retryNumber, RandomGenerator random, Duration retryAfter) {
    Duration jittered = delay(retryNumber, random);
    return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
  }
}
