package dev.sluice.admission;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link AdmissionTimers} driven by a {@link FakeTicker}: {@link #advance} moves the clock task by task
 * and runs each task when its time comes, on the test's thread. Thread-safe.
 */
final class FakeAdmissionTimers implements AdmissionTimers {
  private final FakeTicker ticker;
  private final List<Task> tasks = new ArrayList<>();
  private long seq;

  private record Task(long due, long seq, Runnable run) {}

  FakeAdmissionTimers(FakeTicker ticker) {
    this.ticker = ticker;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable run) {
    Task t = new Task(ticker.nanos() + Math.max(0, delay.toNanos()), seq++, run);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  synchronized int pending() {
    return tasks.size();
  }

  /** Moves time on by {@code d}, running every task that comes due, in order. */
  void advance(Duration d) {
    long target = ticker.nanos() + d.toNanos();
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> t.due - target <= 0)
            .min((a, b) -> a.due != b.due ? Long.signum(a.due - b.due) : Long.compare(a.seq, b.seq)).orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
      }
      long now = ticker.nanos();
      if (next.due - now > 0) {
        ticker.advance(Duration.ofNanos(next.due - now));
      }
      next.run.run();
    }
    long now = ticker.nanos();
    if (target - now > 0) {
      ticker.advance(Duration.ofNanos(target - now));
    }
  }
}
