package dev.sluice.admission;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * The waiters of the {@link AdmissionQueue} grouped into lines by what they wait for
 * ({@link Decision#waitsFor()}: the limit that last refused them). Waiters in one line compete for
 * the same capacity; waiters in different lines do not. Each line keeps its waiters in service
 * order and its own {@link WaitPredictor}, so a request's predicted wait counts only the waiters
 * ahead of it in its own line, at the pace that line has been served: a tenant's backlog on its
 * own rpm says nothing about how soon a slot of another target frees. Waiters that never said what
 * they wait for share the {@link #UNNAMED} line.
 *
 * <p>A line with no waiters keeps its predictor's history for a while (a burst that comes back is
 * predicted at once) and is dropped after {@link #IDLE} without waiters, so the map holds the
 * scopes in recent use only.
 *
 * <p>Not thread-safe: guarded by the queue's lock.
 */
final class ScopeLines {
  static final String UNNAMED = "";
  static final Duration IDLE = Duration.ofMinutes(10);
  private static final int SWEEP_EVERY = 1024;

  /** The {@link FairQueue}'s service order across classes: priority, then start tag, then arrival. */
  private static final Comparator<QueueEntry<?>> SERVICE_ORDER = Comparator
      .<QueueEntry<?>>comparingInt(e -> e.priority.ordinal())
      .thenComparingDouble(e -> e.startTag)
      .thenComparingLong(e -> e.seq);

  private final Map<String, Line> lines = new HashMap<>();
  private int joinsSinceSweep;

  private static final class Line {
    final TreeSet<QueueEntry<?>> waiting = new TreeSet<>(SERVICE_ORDER);
    final WaitPredictor predictor = new WaitPredictor();
    long emptySince;
  }

  /**
   * Puts a queued waiter (its start tag and sequence already set) in line {@code waitsFor},
   * leaving the line it stood in, if another.
   */
  void join(QueueEntry<?> e, String waitsFor, long now) {
    String name = waitsFor == null ? UNNAMED : waitsFor;
    if (name.equals(e.line)) {
      return;
    }
    leave(e, now);
    sweepNowAndThen(now);
    lines.computeIfAbsent(name, k -> new Line()).waiting.add(e);
    e.line = name;
  }

  /** Takes a waiter out of its line without service (shed, cancelled, timed out). */
  void leave(QueueEntry<?> e, long now) {
    if (e.line == null) {
      return;
    }
    Line l = lines.get(e.line);
    if (l != null && l.waiting.remove(e) && l.waiting.isEmpty()) {
      l.emptySince = now;
    }
    e.line = null;
  }

  /** Takes an admitted waiter out of its line, counting the admission toward the line's pace. */
  void served(QueueEntry<?> e, long now) {
    Line l = e.line == null ? null : lines.get(e.line);
    leave(e, now);
    if (l != null) {
      l.predictor.served(now, l.waiting.size());
    }
  }

  /** The predicted wait of {@code e}: the waiters ahead of it in its line times the line's pace. */
  long predictNanos(QueueEntry<?> e) {
    Line l = e.line == null ? null : lines.get(e.line);
    return l == null ? 0 : l.predictor.predictNanos(l.waiting.headSet(e).size());
  }

  /** Waiters now in line {@code waitsFor} (null: the unnamed line). */
  int waiting(String waitsFor) {
    Line l = lines.get(waitsFor == null ? UNNAMED : waitsFor);
    return l == null ? 0 : l.waiting.size();
  }

  /** Lines held, including recently emptied ones; for tests. */
  int lines() {
    return lines.size();
  }

  private void sweepNowAndThen(long now) {
    if (++joinsSinceSweep < SWEEP_EVERY) {
      return;
    }
    joinsSinceSweep = 0;
    long idle = IDLE.toNanos();
    for (Iterator<Line> it = lines.values().iterator(); it.hasNext(); ) {
      Line l = it.next();
      if (l.waiting.isEmpty() && now - l.emptySince >= idle) {
        it.remove();
      }
    }
  }
}
