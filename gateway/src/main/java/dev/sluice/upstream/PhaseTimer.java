package dev.sluice.upstream;

import dev.sluice.core.LoopDeadlines;
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
 * <p>The call's total deadline ({@link #limitTotal}) rides on the same timer: it holds whatever the
 * phase, paused or not, and it is checked first when the timer fires. One timer per call instead of
 * two (each a task, a map entry and a heap reorder per request, set and cancelled).
 *
 * <p>Not thread-safe: used on the call's event loop only.
 */
final class PhaseTimer {

  /** The timer primitives: the event loop's in production, a fake in tests. */
  interface Timers {
    long set(long delayMs, Handler<Long> handler);

    void cancel(long id);

    /**
     * The event loop's deadline wheel ({@link LoopDeadlines}): a call's total and first-token
     * limits are set and cancelled per call and are almost never reached. The call holds one timer
     * at a time, so the last one set is the only one that can be cancelled.
     */
    static Timers of(Vertx vertx) {
      return new Timers() {
        private long lastId;
        private LoopDeadlines.Deadline last;

        @Override
        public long set(long delayMs, Handler<Long> handler) {
          long id = ++lastId;
          last = LoopDeadlines.onContext(vertx, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs),
              () -> handler.handle(id));
          return id;
        }

        @Override
        public void cancel(long id) {
          if (id == lastId && last != null) {
            last.cancel();
            last = null;
          }
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
  private boolean totalSet;
  private long totalDeadline;
  private long totalMs;

  PhaseTimer(Ticker ticker, Timers timers, Expiry onExpired) {
    this.ticker = ticker;
    this.timers = timers;
    this.onExpired = onExpired;
  }

  /**
   * The whole call expires as phase {@value #TOTAL} {@code limitMs} from now, whatever the phases
   * do (activity, pauses); set once, before the first {@link #arm}.
   */
  void limitTotal(long limitMs) {
    long now = ticker.nanos();
    totalSet = true;
    totalMs = limitMs;
    totalDeadline = now + TimeUnit.MILLISECONDS.toNanos(limitMs);
    if (timerId != NONE && totalDeadline - timerDue >= 0) {
      return;
    }
    cancelTimer();
    schedule(limitMs, totalDeadline);
  }

  /** The phase name a total deadline expires with. */
  static final String TOTAL = "total";

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
    totalSet = false;
    cancelTimer();
  }

  private void fired(Long id) {
    if (id != timerId) {
      return; // a timer replaced after it was already queued to run
    }
    timerId = NONE;
    long now = ticker.nanos();
    if (totalSet && totalDeadline - now <= 0) {
      totalSet = false;
      armed = false;
      onExpired.expired(TOTAL, totalMs);
      return;
    }
    if (armed && lastActivity + limitNanos - now <= 0) {
      armed = false;
      onExpired.expired(phase, limitMs);
      return;
    }
    long next;
    if (armed) {
      long deadline = lastActivity + limitNanos;
      next = totalSet && totalDeadline - deadline < 0 ? totalDeadline : deadline;
    } else if (totalSet) {
      next = totalDeadline;
    } else {
      return;
    }
    // Rounded up so that the next firing is not before the deadline: one re-check, not several.
    schedule((next - now + 999_999) / 1_000_000, next);
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
