package dev.sluice.resilience;

import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One target's circuit breaker: CLOSED lets traffic through and counts outcomes; OPEN refuses it
 * until a cooldown has elapsed; HALF_OPEN then admits up to {@link BreakerConfig#halfOpenProbes()}
 * concurrent probes, and the first probe outcome decides: a success closes the breaker, a failure
 * opens it again with the cooldown doubled (capped at {@link BreakerConfig#maxCooldown()}).
 *
 * <p>It opens on {@link BreakerConfig#consecutiveFailures()} failures in a row, or when the failure
 * rate over the sliding window reaches {@link BreakerConfig#failureRate()} once the window holds
 * at least {@link BreakerConfig#minimumRequests()} outcomes. The cooldown streak decays: once the
 * breaker has stayed CLOSED for one full (last used) cooldown, the next opening starts again from
 * the base cooldown; an opening before that doubles it again.
 *
 * <p><b>Protocol.</b> Call {@link #tryAcquire()} before sending; if it returned true, report exactly
 * one outcome: {@link #onSuccess()}, {@link #onFailure()} (only for failures the caller counts
 * against the target: transient ones, timeouts, 429s — the "dropped" of DESIGN §3), or
 * {@link #onIgnored()} (the client went away: not the target's fault; releases a probe slot and
 * counts nothing). Outcomes reported while OPEN are ignored (they belong to requests admitted
 * before it opened). While HALF_OPEN any outcome is taken as a probe's outcome.
 *
 * <p><b>Threading.</b> Thread-safe. {@code tryAcquire()} in CLOSED is one volatile read; everything
 * else takes this breaker's monitor for a few field updates. The listener is called while that
 * monitor is held, so that notifications arrive in transition order: it must be quick (set a
 * gauge, log) and must not block.
 */
public final class CircuitBreaker {
  private static final int FAILURES = 0;
  private static final int OUTCOMES = 1;
  private static final int MAX_STREAK = 62;

  private final BreakerConfig config;
  private final Ticker ticker;
  private final Consumer<BreakerState> listener;
  private final long baseCooldownNanos;
  private final long maxCooldownNanos;

  private volatile BreakerState state = BreakerState.CLOSED;

  // Guarded by this.
  private final SlidingWindow window;
  private int consecutiveFailures;
  private int probesInFlight;
  private int streak;
  private long cooldownNanos;
  private long openedAt;
  private long closedAt;
  private long totalOpenings;

  public CircuitBreaker(BreakerConfig config, Ticker ticker) {
    this(config, ticker, s -> { });
  }

  /** @param listener told each new state, in order, while the breaker's monitor is held */
  public CircuitBreaker(BreakerConfig config, Ticker ticker, Consumer<BreakerState> listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.window = new SlidingWindow(ticker, config.window(), SlidingWindow.DEFAULT_BUCKETS, 2);
    this.baseCooldownNanos = config.cooldown().toNanos();
    this.maxCooldownNanos = config.maxCooldown().toNanos();
    this.cooldownNanos = baseCooldownNanos;
    this.closedAt = ticker.nanos();
  }

  /**
   * Whether a request may be sent now. CLOSED: always. OPEN: no until the cooldown has elapsed,
   * then the breaker turns HALF_OPEN and this call takes a probe slot. HALF_OPEN: only while a
   * probe slot is free. A true answer must be followed by exactly one outcome call.
   */
  public boolean tryAcquire() {
    if (state == BreakerState.CLOSED) {
      return true;
    }
    synchronized (this) {
      if (state == BreakerState.CLOSED) {
        return true;
      }
      if (state == BreakerState.OPEN) {
        if (ticker.nanos() - openedAt < cooldownNanos) {
          return false;
        }
        probesInFlight = 0;
        transition(BreakerState.HALF_OPEN);
      }
      if (probesInFlight < config.halfOpenProbes()) {
        probesInFlight++;
        return true;
      }
      return false;
    }
  }

  /** The request succeeded (or failed in a way that is not the target's fault, e.g. a 400). */
  public void onSuccess() {
    synchronized (this) {
      switch (state) {
        case CLOSED -> {
          consecutiveFailures = 0;
          window.add(OUTCOMES, 1);
        }
        case HALF_OPEN -> close();
        case OPEN -> { }
      }
    }
  }

  /** The request failed in a way that counts against the target. */
  public void onFailure() {
    synchronized (this) {
      switch (state) {
        case CLOSED -> {
          consecutiveFailures++;
          window.add(FAILURES, 1);
          window.add(OUTCOMES, 1);
          if (consecutiveFailures >= config.consecutiveFailures() || rateTripped()) {
            open(ticker.nanos());
          }
        }
        case HALF_OPEN -> open(ticker.nanos());
        case OPEN -> { }
      }
    }
  }

  /** The client went away (or the attempt was abandoned, e.g. a losing hedge): counts nothing. */
  public void onIgnored() {
    synchronized (this) {
      if (state == BreakerState.HALF_OPEN && probesInFlight > 0) {
        probesInFlight--;
      }
    }
  }

  /**
   * CLOSED, and no failure since its last success (or no outcome yet): the target is serving now.
   * What decides whether a fail-over to it is an extra load on a target in trouble.
   */
  public boolean isServing() {
    if (state != BreakerState.CLOSED) {
      return false;
    }
    synchronized (this) {
      return state == BreakerState.CLOSED && consecutiveFailures == 0;
    }
  }

  public BreakerState state() {
    return state;
  }

  /**
   * Whether this breaker would let traffic through now or at the next {@link #tryAcquire()}: it is
   * not OPEN, or it is OPEN and its cooldown has elapsed. (HALF_OPEN counts as available even when
   * every probe slot is taken; {@code tryAcquire()} has the last word.)
   */
  public boolean isAvailable() {
    if (state != BreakerState.OPEN) {
      return true;
    }
    synchronized (this) {
      return state != BreakerState.OPEN || ticker.nanos() - openedAt >= cooldownNanos;
    }
  }

  /** How long until an OPEN breaker admits a probe; zero when not OPEN or already due. */
  public Duration remainingCooldown() {
    synchronized (this) {
      if (state != BreakerState.OPEN) {
        return Duration.ZERO;
      }
      long left = cooldownNanos - (ticker.nanos() - openedAt);
      return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
  }

  /**
   * The current opening streak: how many times the breaker has opened without then staying CLOSED
   * for a full cooldown. The cooldown of the latest opening was {@code base·2^(openings-1)}, capped.
   * 0 for a breaker that never opened or whose streak has decayed.
   */
  public int openings() {
    synchronized (this) {
      decayStreak(ticker.nanos());
      return streak;
    }
  }

  /** How many times this breaker has opened since it was created (for metrics). */
  public long totalOpenings() {
    synchronized (this) {
      return totalOpenings;
    }
  }

  public BreakerConfig config() {
    return config;
  }

  // ---- transitions, all under this ----

  private boolean rateTripped() {
    long outcomes = window.sum(OUTCOMES);
    return outcomes >= config.minimumRequests()
        && window.sum(FAILURES) >= config.failureRate() * outcomes;
  }

  private void open(long now) {
    decayStreak(now);
    streak = Math.min(streak + 1, MAX_STREAK);
    cooldownNanos = cooldownFor(streak);
    openedAt = now;
    totalOpenings++;
    resetCounts();
    transition(BreakerState.OPEN);
  }

  private void close() {
    closedAt = ticker.nanos();
    resetCounts();
    transition(BreakerState.CLOSED);
  }

  private void decayStreak(long now) {
    if (state == BreakerState.CLOSED && streak > 0 && now - closedAt >= cooldownNanos) {
      streak = 0;
      cooldownNanos = baseCooldownNanos;
    }
  }

  private long cooldownFor(int n) {
    long c = baseCooldownNanos;
    for (int i = 1; i < n && c < maxCooldownNanos; i++) {
      c = c > maxCooldownNanos / 2 ? maxCooldownNanos : c * 2;
    }
    return Math.min(c, maxCooldownNanos);
  }

  private void resetCounts() {
    consecutiveFailures = 0;
    probesInFlight = 0;
    window.reset();
  }

  private void transition(BreakerState to) {
    state = to;
    listener.accept(to);
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + state + ", openings=" + streak + "]";
  }
}
