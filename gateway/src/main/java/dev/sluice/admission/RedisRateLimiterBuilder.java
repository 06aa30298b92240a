package dev.sluice.admission;

import dev.sluice.core.Ticker;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Configures a {@link RedisRateLimiter}; validates on {@link #build()}. Not thread-safe. */
public final class RedisRateLimiterBuilder {
  final Redis redis;
  Ticker ticker = Ticker.system();
  FailureMode failureMode = FailureMode.LOCAL;
  int expectedReplicas = 1;
  Duration commandTimeout = Duration.ofMillis(200);
  Duration probeInterval = Duration.ofSeconds(5);
  Duration leaseTtl = Duration.ofMinutes(10);
  Duration concurrencyRetry = LocalRateLimiter.DEFAULT_CONCURRENCY_RETRY;
  LongSupplier sharedClockMicros;
  String replicaId;
  RedisRateLimiter.ModeListener listener = (mode, cause) -> { };

  RedisRateLimiterBuilder(Redis redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  /** Times probes and the local fallback. Default: the JVM's monotonic clock. */
  public RedisRateLimiterBuilder ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker);
    return this;
  }

  /** What to do while Redis does not answer. Default {@link FailureMode#LOCAL}. */
  public RedisRateLimiterBuilder failureMode(FailureMode mode) {
    this.failureMode = Objects.requireNonNull(mode);
    return this;
  }

  /** How many replicas share the limits; each local fallback enforces 1/n of every limit. Default 1. */
  public RedisRateLimiterBuilder expectedReplicas(int n) {
    this.expectedReplicas = n;
    return this;
  }

  /** How long a Redis call may take before Redis counts as down. Default 200 ms. */
  public RedisRateLimiterBuilder commandTimeout(Duration d) {
    this.commandTimeout = Objects.requireNonNull(d);
    return this;
  }

  /** How often, at most, a call tries Redis again while in fallback. Default 5 s. */
  public RedisRateLimiterBuilder probeInterval(Duration d) {
    this.probeInterval = Objects.requireNonNull(d);
    return this;
  }

  /**
   * How long a concurrency slot stays taken if it is never settled (a replica died mid-request).
   * Longer than the longest request. Default 10 min.
   */
  public RedisRateLimiterBuilder leaseTtl(Duration d) {
    this.leaseTtl = Objects.requireNonNull(d);
    return this;
  }

  /** The retry-after given for a concurrency refusal. Default 1 s. */
  public RedisRateLimiterBuilder concurrencyRetry(Duration d) {
    this.concurrencyRetry = Objects.requireNonNull(d);
    return this;
  }

  /**
   * Epoch microseconds to use instead of Redis's {@code TIME}; only for replicas that share one
   * clock, i.e. tests driving a fake clock. Default: Redis's clock.
   */
  public RedisRateLimiterBuilder sharedClockMicros(LongSupplier clock) {
    this.sharedClockMicros = clock;
    return this;
  }

  /** Prefix of reservation ids; unique per replica. Default: a random UUID. */
  public RedisRateLimiterBuilder replicaId(String id) {
    this.replicaId = id;
    return this;
  }

  public RedisRateLimiterBuilder listener(RedisRateLimiter.ModeListener listener) {
    this.listener = Objects.requireNonNull(listener);
    return this;
  }

  public RedisRateLimiter build() {
    if (expectedReplicas < 1) {
      throw new IllegalArgumentException("expectedReplicas >= 1: " + expectedReplicas);
    }
    for (Duration d : new Duration[] {commandTimeout, probeInterval, leaseTtl}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive: " + d);
      }
    }
    return RedisRateLimiter.create(this);
  }
}
