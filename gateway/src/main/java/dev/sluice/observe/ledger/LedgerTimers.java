package dev.sluice.observe.ledger;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Timers for the ledger writer, injected so tests can fire them by hand instead of sleeping.
 * Tasks must not block: they run on an event loop with {@link #vertx}.
 */
public interface LedgerTimers {

  /** Runs {@code task} every {@code period}, the first time one period from now. */
  Timer every(Duration period, Runnable task);

  /** Runs {@code task} once, {@code delay} from now. */
  Timer after(Duration delay, Runnable task);

  /** A scheduled task; cancelling twice, or after it ran, is harmless. */
  @FunctionalInterface
  interface Timer {
    void cancel();
  }

  /** Vert.x timers: tasks run on the event loop of the context that scheduled them. */
  static LedgerTimers vertx(Vertx vertx) {
    return new LedgerTimers() {
      @Override
      public Timer every(Duration period, Runnable task) {
        long id = vertx.setPeriodic(Math.max(1, period.toMillis()), t -> task.run());
        return () -> vertx.cancelTimer(id);
      }

      @Override
      public Timer after(Duration delay, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
        return () -> vertx.cancelTimer(id);
      }
    };
  }
}
