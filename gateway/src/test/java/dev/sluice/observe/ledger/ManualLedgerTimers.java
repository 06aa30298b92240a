package dev.sluice.observe.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link LedgerTimers} whose timers fire only when the test says so, on the test's thread. */
final class ManualLedgerTimers implements LedgerTimers {
  private record Task(Duration delay, Runnable run, boolean periodic, boolean[] cancelled) {}

  private final List<Task> tasks = new CopyOnWriteArrayList<>();

  @Override
  public Timer every(Duration period, Runnable task) {
    return add(new Task(period, task, true, new boolean[1]));
  }

  @Override
  public Timer after(Duration delay, Runnable task) {
    return add(new Task(delay, task, false, new boolean[1]));
  }

  private Timer add(Task t) {
    tasks.add(t);
    return () -> {
      synchronized (t.cancelled()) {
        t.cancelled()[0] = true;
      }
      tasks.remove(t);
    };
  }

  /** Runs every live periodic task registered with this period, once. */
  void firePeriodic(Duration period) {
    for (Task t : new ArrayList<>(tasks)) {
      if (t.periodic() && t.delay().equals(period) && live(t)) {
        t.run().run();
      }
    }
  }

  /** Runs (and removes) every live one-shot task registered with this delay. */
  void fireOnce(Duration delay) {
    for (Task t : new ArrayList<>(tasks)) {
      if (!t.periodic() && t.delay().equals(delay) && live(t)) {
        tasks.remove(t);
        t.run().run();
      }
    }
  }

  /** How many live one-shot tasks are registered with this delay. */
  int pendingOnce(Duration delay) {
    return (int) tasks.stream().filter(t -> !t.periodic() && t.delay().equals(delay) && live(t)).count();
  }

  private static boolean live(Task t) {
    synchronized (t.cancelled()) {
      return !t.cancelled()[0];
    }
  }
}
