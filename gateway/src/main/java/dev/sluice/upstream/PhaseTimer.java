package dev.sluice.upstream;

import dev.sluice.core.Ticker;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of an upstream call's current phase (first token, then idle between body slices):
 * it expires once no activity was seen for the phase's limit.
 *
 * <p>Activity is recorded as a timestamp, not by re-arming a timer: cancelling and setting a timer
 * per body slice allocated a task and reordered the event loop's timer heap on every streamed
 * event (bench/results/hotspots.md #7). Instead one timer is pending at a time; when it fires before
 * the deadline (activity moved it), it re-arms itself for the time left — as Netty's
 * {@code IdleStateHandler} does. A timer is replaced only when a new deadline is earlier than the
 * pending one (the phase changed to a shorter limit). Same timeouts, to the millisecond.
 *
 * <p>Not thread-safe: used on the call's event loop only.
 */
final class PhaseTimer {

  /** The timer primitives: the event loop's in production, a fake in tests. */
  interface Timers {
    long set(long delayMs, Handler<Long> handler);

    void cancel(long id);

    static Timers of(Vertx vertx) {
      return new Timers() {
        @Override
        public long set(long delayMs, Handler<Long> handler) {
          return vertx.setTimer(delayMs, handler);
        }

        @Override
        public void cancel(long id) {
          vertx.cancelTimer(id);
        }
      };
    }
  }

  /** Called once when a phase's deadline passes without activity. */
  interface Expiry {
    void expired(String phase, long limitMs);
  }

  private static final long NONE = -1;

  private final Ticker ticker;
  private final Timers timers;
  private final Expiry onExpired;
  private final Handler<Long> onTimer = this::fired;
  private String phase;
  private long limitMs;
  private long limitNanos;
  private long lastActivity;
  private boolean armed;
  private long timerId = NONE;
  /** Ticker time at which the pending timer was meant to fire. */
  private long timerDue;

  PhaseTimer(Ticker ticker, Timers timers, Expiry onExpired) {
    this.ticker = ticker;
    this.timers = timers;
    this.onExpired = onExpired;
  }

  /** Activity now: {@code phase} expires after {@code limitMs} without another {@code arm}. */
  void arm(String phase, long limitMs) {
    long now = ticker.nanos();
    this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMs);
    this.phase = phase;
    this.limitMs = limitMs;
    this.lastActivity = now;
    this.armed = true;
    long deadline = now + limitNanos;
    if (timerId != NONE && deadline - timerDue >= 0) {
      return; // the pending timer fires first and re-arms for the rest: the per-slice path
    }
    cancelTimer();
    schedule(limitMs, deadline);
  }

  /**
   * No deadline until the next {@link #arm} (reading is paused: silence is not the provider's).
   * The pending timer is left to fire and do nothing, so pause/resume cost no timer operations.
   */
  void disarm() {
    armed = false;
  }

  /** The call is over: no deadline, no pending timer. */
  void cancel() {
    armed = false;
    cancelTimer();
  }

  private void fired(Long id) {
    if (id != timerId) {
      return; // a timer replaced after it was already queued to run
    }
    timerId = NONE;
    if (!armed) {
      return;
    }
    long deadline = lastActivity + limitNanos;
    long left = deadline - ticker.nanos();
    if (left > 0) {
      // Rounded up so that the next firing is not before the deadline: one re-check, not several.
      schedule((left + 999_999) / 1_000_000, deadline);
      return;
    }
    armed = false;
    onExpired.expired(phase, limitMs);
  }

  private void schedule(long delayMs, long due) {
    timerDue = due;
    timerId = timers.set(delayMs, onTimer);
  }

  private void cancelTimer() {
    if (timerId != NONE) {
      timers.cancel(timerId);
      timerId = NONE;
    }
  }
}
