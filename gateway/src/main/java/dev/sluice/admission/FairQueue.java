package dev.sluice.admission;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The order of the {@link AdmissionQueue}: strict priority between classes, start-time fair
 * queuing (SFQ) between tenants inside a class. Each waiter gets a start tag
 * {@code max(class virtual time, tenant's last finish tag)} and advances its tenant's finish tag
 * by {@code 1 / weight}; waiters are served by ascending start tag. A tenant that queued a thousand
 * requests therefore holds tags far in the future, and a tenant arriving later slots in between
 * them instead of behind them: with equal weights the two alternate.
 *
 * <p>Not thread-safe: guarded by the queue's lock.
 */
final class FairQueue {
  private static final Comparator<QueueEntry<?>> ORDER =
      Comparator.<QueueEntry<?>>comparingDouble(e -> e.startTag).thenComparingLong(e -> e.seq);

  private final ToIntFunction<String> weights;
  private final PriorityClass[] classes = new PriorityClass[Priority.values().length];
  private int size;

  private static final class PriorityClass {
    final TreeSet<QueueEntry<?>> entries = new TreeSet<>(ORDER);
    final Map<String, Tenant> tenants = new HashMap<>();
    double virtualTime;
  }

  private static final class Tenant {
    double lastFinish;
    int waiting;
  }

  FairQueue(ToIntFunction<String> weights) {
    this.weights = weights;
    for (int i = 0; i < classes.length; i++) {
      classes[i] = new PriorityClass();
    }
  }

  int size() {
    return size;
  }

  int size(Priority p) {
    return classes[p.ordinal()].entries.size();
  }

  void add(QueueEntry<?> e) {
    PriorityClass c = classes[e.priority.ordinal()];
    Tenant t = c.tenants.computeIfAbsent(e.tenant, k -> new Tenant());
    e.startTag = Math.max(c.virtualTime, t.lastFinish);
    t.lastFinish = e.startTag + 1.0 / Math.max(1, weights.applyAsInt(e.tenant));
    t.waiting++;
    c.entries.add(e);
    size++;
  }

  /** Removes a waiter that leaves without service (shed, cancelled). */
  void remove(QueueEntry<?> e) {
    PriorityClass c = classes[e.priority.ordinal()];
    if (!c.entries.remove(e)) {
      return;
    }
    size--;
    Tenant t = c.tenants.get(e.tenant);
    if (--t.waiting == 0) {
      // An idle tenant starts again at the virtual time: no credit saved up, no debt carried.
      c.tenants.remove(e.tenant);
    }
  }

  /** Removes a waiter that was admitted: virtual time moves on to its start tag. */
  void served(QueueEntry<?> e) {
    PriorityClass c = classes[e.priority.ordinal()];
    c.virtualTime = Math.max(c.virtualTime, e.startTag);
    remove(e);
  }

  /** Up to {@code max} waiters in service order: all of HIGH, then NORMAL, then LOW. */
  List<QueueEntry<?>> inOrder(int max) {
    List<QueueEntry<?>> out = new ArrayList<>(Math.min(max, size));
    for (PriorityClass c : classes) {
      for (QueueEntry<?> e : c.entries) {
        if (out.size() == max) {
          return out;
        }
        out.add(e);
      }
    }
    return out;
  }

  /** The last-served waiter of the lowest class below {@code p}, to make room for a more urgent one. */
  QueueEntry<?> evictableBelow(Priority p) {
    for (int i = classes.length - 1; i > p.ordinal(); i--) {
      if (!classes[i].entries.isEmpty()) {
        return classes[i].entries.last();
      }
    }
    return null;
  }
}
