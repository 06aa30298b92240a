package dev.sluice.admission;

import dev.sluice.core.Ticker;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Buffers requests that cannot be admitted yet instead of failing them: a bounded queue with
 * strict priority classes and weighted fairness between tenants inside a class ({@link FairQueue}).
 *
 * <p>A waiter is admitted when its {@link AdmissionAttempt} succeeds. Attempts are made in service order
 * when a waiter arrives, on every {@link #signal()} (call it when capacity frees: a reservation
 * settled or released, a slot returned) and when an attempt's retry-after hint comes due (rpm and
 * tpm refill with time, not with events). Since waiters may need different capacity — one key is
 * out of rpm while another still has room — a pass tries each waiter in order rather than stopping
 * at the first that must wait; when they need the same capacity, order decides who gets it. A pass tries at most
 * {@code attemptsPerPass} waiters (bounding the work, and the Redis calls, one signal causes), so a
 * waiter deeper in the queue is tried once those ahead of it leave.
 *
 * <p>Shedding is immediate, never a slow timeout: a full queue sheds the newcomer at once (or the
 * newest waiter of a lower class, to make room for a more urgent one), a waiter whose predicted
 * wait exceeds its remaining time is shed after its first attempt — predicted from the attempt's
 * retry-after and from how many wait ahead of it for the same capacity times the pace at which that
 * capacity has been served ({@link ScopeLines}; waiters held up by other limits do not count) — and
 * a waiter still queued at its deadline ({@code min(max wait, the request's own deadline)}) is shed
 * then. A waiter that leaves ({@link Waiter#cancel()}: its client hung up) is out of the queue and
 * of every count at once; what a late attempt still admitted for it is given back.
 *
 * <p>Threading: all state changes happen under one lock, held briefly and never across an
 * attempt or a completion; callers may enqueue, signal and cancel from any thread. One pass runs
 * at a time; a signal during a pass makes it run again. No blocking, no threads of its own: timers
 * come from the injected {@link AdmissionTimers}, time from the {@link Ticker}.
 */
public final class AdmissionQueue {
  private final int maxQueue;
  private final Duration maxWait;
  private final int attemptsPerPass;
  private final Ticker ticker;
  private final AdmissionTimers scheduler;
  private final Object lock = new Object();
  private final FairQueue queue;
  private long nextSeq;
  private boolean passRunning;
  private boolean passAgain;
  private AdmissionTimers.Cancellable refillTimer;
  private long refillAt;
  private final ScopeLines lines = new ScopeLines();

  /**
   * @param maxQueue waiters held at most ({@code max_queue})
   * @param maxWait longest any waiter waits ({@code max_wait})
   * @param attemptsPerPass waiters tried per pass at most, bounding the work one signal causes
   * @param weights a tenant's share within its class (>= 1; default all 1)
   */
  public AdmissionQueue(int maxQueue, Duration maxWait, int attemptsPerPass, ToIntFunction<String> weights,
      Ticker ticker, AdmissionTimers scheduler) {
    if (maxQueue < 0 || attemptsPerPass < 1 || maxWait.isNegative()) {
      throw new IllegalArgumentException("maxQueue >= 0, attemptsPerPass >= 1, maxWait >= 0");
    }
    this.maxQueue = maxQueue;
    this.maxWait = maxWait;
    this.attemptsPerPass = attemptsPerPass;
    this.queue = new FairQueue(Objects.requireNonNull(weights, "weights"));
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** Equal weights and up to 64 attempts per pass. */
  public AdmissionQueue(int maxQueue, Duration maxWait, Ticker ticker, AdmissionTimers scheduler) {
    this(maxQueue, maxWait, 64, tenant -> 1, ticker, scheduler);
  }

  /**
   * Queues a request and tries to admit it at once (behind waiters that come first).
   *
   * @param remaining the request's own remaining time, or null; it never waits past it
   */
  public <T> Waiter<T> enqueue(String tenant, Priority priority, Duration remaining, AdmissionAttempt<T> attempt) {
    return enqueue(tenant, priority, remaining, null, attempt);
  }

  /**
   * As {@link #enqueue(String, Priority, Duration, AdmissionAttempt)}, for a request the caller
   * already tried: {@code waitsFor} is what that try found full ({@link Decision#waitsFor()}, null
   * if unknown), so the waiter stands in that line from the start.
   */
  public <T> Waiter<T> enqueue(String tenant, Priority priority, Duration remaining, String waitsFor,
      AdmissionAttempt<T> attempt) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(attempt, "attempt");
    Duration wait = remaining == null || remaining.compareTo(maxWait) > 0 ? maxWait : remaining;
    long now = ticker.nanos();
    QueueEntry<T> entry = new QueueEntry<>(this, tenant, priority, attempt, now, now + Math.max(0, wait.toNanos()));
    List<Runnable> after = new ArrayList<>(1);
    boolean shedNow = false;
    synchronized (lock) {
      if (queue.size() >= maxQueue) {
        QueueEntry<?> victim = queue.evictableBelow(priority);
        if (victim == null) {
          entry.state = QueueEntry.State.DONE;
          shedNow = true;
          after.add(entry.shed(Shed.QUEUE_FULL, "the admission queue holds " + maxQueue + " requests"));
        } else {
          after.add(leave(victim, Shed.QUEUE_FULL, "made room for a request of higher priority"));
        }
      }
      if (!shedNow) {
        entry.seq = nextSeq++;
        queue.add(entry);
        lines.join(entry, waitsFor, now);
      }
    }
    after.forEach(Runnable::run);
    if (shedNow) {
      return entry;
    }
    signal();
    synchronized (lock) {
      // Only now, so a request admitted by its first attempt never creates a timer.
      if (entry.state == QueueEntry.State.WAITING || entry.state == QueueEntry.State.ATTEMPTING) {
        entry.deadlineTimer = scheduler.schedule(Duration.ofNanos(Math.max(0, entry.deadlineAt - ticker.nanos())),
            () -> timedOut(entry));
      }
    }
    return entry;
  }

  /** Capacity may have freed: try the waiters again, in order. Cheap when the queue is empty. */
  public void signal() {
    synchronized (lock) {
      if (passRunning) {
        passAgain = true;
        return;
      }
      if (queue.size() == 0) {
        return;
      }
      passRunning = true;
    }
    runPasses();
  }

  public int size() {
    synchronized (lock) {
      return queue.size();
    }
  }

  public int size(Priority p) {
    synchronized (lock) {
      return queue.size(p);
    }
  }

  /** Waiters now waiting for {@code waitsFor} ({@link Decision#waitsFor()}; null: those that did not say). */
  public int waiting(String waitsFor) {
    synchronized (lock) {
      return lines.waiting(waitsFor);
    }
  }

  private void runPasses() {
    while (true) {
      List<QueueEntry<?>> batch;
      synchronized (lock) {
        passAgain = false;
        batch = queue.inOrder(attemptsPerPass);
      }
      if (!attemptFrom(batch, 0)) {
        return; // an attempt went asynchronous; its completion carries the pass on
      }
      synchronized (lock) {
        if (!passAgain) {
          passRunning = false;
          return;
        }
      }
    }
  }

  /** Tries the batch from index {@code from}; false if it had to wait for an asynchronous attempt. */
  private boolean attemptFrom(List<QueueEntry<?>> batch, int from) {
    for (int i = from; i < batch.size(); i++) {
      QueueEntry<?> e = batch.get(i);
      synchronized (lock) {
        if (e.state != QueueEntry.State.WAITING) {
          continue;
        }
        e.state = QueueEntry.State.ATTEMPTING;
        e.attempts++;
      }
      Future<? extends Decision<?>> f = start(e);
      if (!f.isComplete()) {
        int next = i + 1;
        f.onComplete(ar -> {
          settleAttempt(e, f);
          if (attemptFrom(batch, next)) {
            synchronized (lock) {
              if (!passAgain) {
                passRunning = false;
                return;
              }
            }
            runPasses();
          }
        });
        return false;
      }
      settleAttempt(e, f);
    }
    return true;
  }

  private static Future<? extends Decision<?>> start(QueueEntry<?> e) {
    try {
      Future<? extends Decision<?>> f = e.attempt.tryAdmit();
      return f != null ? f : Future.failedFuture(new NullPointerException("attempt returned no future"));
    } catch (RuntimeException ex) {
      return Future.failedFuture(ex);
    }
  }

  private void settleAttempt(QueueEntry<?> e, Future<? extends Decision<?>> f) {
    Decision<?> d = f.succeeded() ? f.result() : Decision.reject("admission attempt failed: " + f.cause());
    Runnable after = null;
    synchronized (lock) {
      long now = ticker.nanos();
      boolean live = e.state == QueueEntry.State.ATTEMPTING;
      switch (d.kind()) {
        case ADMIT -> {
          if (live) {
            e.state = QueueEntry.State.DONE;
            cancelTimer(e);
            queue.served(e);
            lines.served(e, now);
            after = e.admit(d.value(), now);
          } else {
            after = e.abandonLate(d.value());
          }
        }
        case NOT_YET -> {
          if (live) {
            e.state = QueueEntry.State.WAITING;
            if (d.waitsFor() != null) {
              lines.join(e, d.waitsFor(), now);
            }
            after = predictOrWait(e, d.retryAfter(), now);
          }
        }
        case REJECT -> {
          if (live) {
            after = leave(e, Shed.REJECTED, d.reason());
          }
        }
      }
    }
    if (after != null) {
      after.run();
    }
  }

  /** Under the lock: shed a waiter that cannot make its deadline, else arm the refill timer. */
  private Runnable predictOrWait(QueueEntry<?> e, Duration hint, long now) {
    long predicted = hint == null ? 0 : hint.toNanos();
    if (e.attempts == 1) {
      predicted = Math.max(predicted, lines.predictNanos(e));
    }
    if (now + predicted - e.deadlineAt > 0) {
      return leave(e, Shed.WAIT_TOO_LONG, "predicted wait " + Duration.ofNanos(predicted).toMillis()
          + " ms exceeds the remaining " + Math.max(0, (e.deadlineAt - now) / 1_000_000) + " ms");
    }
    if (hint != null) {
      armRefill(now + hint.toNanos(), now);
    }
    return null;
  }

  private void armRefill(long at, long now) {
    if (refillTimer != null && at - refillAt >= 0) {
      return; // an earlier wake-up is already set; it re-arms for the rest
    }
    if (refillTimer != null) {
      refillTimer.cancel();
    }
    refillAt = at;
    refillTimer = scheduler.schedule(Duration.ofNanos(Math.max(0, at - now)), () -> {
      synchronized (lock) {
        refillTimer = null;
      }
      signal();
    });
  }

  /** Under the lock: takes a waiter out without service. */
  private Runnable leave(QueueEntry<?> e, Shed reason, String detail) {
    e.state = e.state == QueueEntry.State.ATTEMPTING ? QueueEntry.State.ABANDONED : QueueEntry.State.DONE;
    cancelTimer(e);
    queue.remove(e);
    lines.leave(e, ticker.nanos());
    return e.shed(reason, detail);
  }

  private static void cancelTimer(QueueEntry<?> e) {
    if (e.deadlineTimer != null) {
      e.deadlineTimer.cancel();
      e.deadlineTimer = null;
    }
  }

  private void timedOut(QueueEntry<?> e) {
    Runnable after = null;
    synchronized (lock) {
      if (e.state == QueueEntry.State.WAITING || e.state == QueueEntry.State.ATTEMPTING) {
        after = leave(e, Shed.TIMED_OUT, "waited " + Duration.ofNanos(ticker.nanos() - e.enqueuedAt).toMillis() + " ms");
      }
    }
    if (after != null) {
      after.run();
    }
  }

  boolean cancel(QueueEntry<?> e) {
    Runnable after = null;
    synchronized (lock) {
      if (e.state == QueueEntry.State.WAITING || e.state == QueueEntry.State.ATTEMPTING) {
        after = leave(e, Shed.CANCELLED, "cancelled by the caller");
      }
    }
    if (after != null) {
      after.run();
      return true;
    }
    return false;
  }
}
