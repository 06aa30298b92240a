package dev.sluice.admission;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Runs a task later; the {@link AdmissionQueue}'s only source of timers, so tests drive it with a
 * fake clock instead of sleeping. Implementations are thread-safe; tasks must not block.
 */
@FunctionalInterface
public interface AdmissionTimers {

  Cancellable schedule(Duration delay, Runnable task);

  /** Cancels a scheduled task; cancelling one that already ran does nothing. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Vert.x timers; tasks run on an event loop. Vert.x timers are 1 ms at the least. */
  static AdmissionTimers vertx(Vertx vertx) {
    return (delay, task) -> {
      long ms = Math.max(1, (delay.toNanos() + 999_999) / 1_000_000);
      long id = vertx.setTimer(ms, t -> task.run());
      return () -> vertx.cancelTimer(id);
    };
  }
}
