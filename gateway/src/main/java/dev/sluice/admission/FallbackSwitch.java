package dev.sluice.admission;

import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether {@link RedisRateLimiter} talks to Redis or applies its {@link FailureMode}. The first
 * failure switches to fallback; while there, one call per probe interval is let through to Redis
 * as the probe, and its success switches back. Each switch is logged once, counted and reported
 * to the listener — by the one thread that wins the compare-and-set, however many calls fail
 * together.
 *
 * <p>Thread-safe, lock-free; no timers (probes ride on traffic, so an idle gateway probes nothing).
 */
final class FallbackSwitch {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

  private final Ticker ticker;
  private final long probeIntervalNanos;
  private final FailureMode failureMode;
  private final RedisRateLimiter.ModeListener listener;
  private final AtomicReference<RedisRateLimiter.Mode> mode = new AtomicReference<>(RedisRateLimiter.Mode.SHARED);
  private final AtomicLong nextProbe = new AtomicLong();
  private final AtomicLong transitions = new AtomicLong();

  FallbackSwitch(Ticker ticker, Duration probeInterval, FailureMode failureMode, RedisRateLimiter.ModeListener listener) {
    this.ticker = ticker;
    this.probeIntervalNanos = probeInterval.toNanos();
    this.failureMode = failureMode;
    this.listener = listener;
  }

  RedisRateLimiter.Mode mode() {
    return mode.get();
  }

  long fallbackTransitions() {
    return transitions.get();
  }

  /** True when this call should go to Redis: always in shared mode, once per interval otherwise. */
  boolean useRedis() {
    if (mode.get() == RedisRateLimiter.Mode.SHARED) {
      return true;
    }
    long now = ticker.nanos();
    long due = nextProbe.get();
    return now - due >= 0 && nextProbe.compareAndSet(due, now + probeIntervalNanos);
  }

  void redisAnswered() {
    if (mode.compareAndSet(RedisRateLimiter.Mode.FALLBACK, RedisRateLimiter.Mode.SHARED)) {
      LOG.info("Redis answers again: rate limits are shared across replicas again");
      notify(RedisRateLimiter.Mode.SHARED, null);
    }
  }

  void redisFailed(Throwable cause) {
    nextProbe.set(ticker.nanos() + probeIntervalNanos);
    if (mode.compareAndSet(RedisRateLimiter.Mode.SHARED, RedisRateLimiter.Mode.FALLBACK)) {
      transitions.incrementAndGet();
      LOG.warn("Redis does not answer ({}): rate limiting falls back to {} until a probe succeeds (every {} ms)",
          cause.toString(), failureMode, probeIntervalNanos / 1_000_000);
      notify(RedisRateLimiter.Mode.FALLBACK, cause);
    }
  }

  private void notify(RedisRateLimiter.Mode to, Throwable cause) {
    try {
      listener.onModeChange(to, cause);
    } catch (RuntimeException e) {
      // A metrics hook must not break admission.
      LOG.warn("rate limiter mode listener failed", e);
    }
  }
}
