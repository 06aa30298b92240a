package dev.sluice.admission;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;

/**
 * One waiter of the {@link AdmissionQueue}. Its mutable fields are guarded by the queue's lock;
 * the promise is completed outside it.
 */
final class QueueEntry<T> implements Waiter<T> {
  enum State { WAITING, ATTEMPTING, ABANDONED, DONE }

  final AdmissionQueue queue;
  final String tenant;
  final Priority priority;
  final AdmissionAttempt<T> attempt;
  final long enqueuedAt;
  final long deadlineAt;
  final Promise<Ticket<T>> promise = Promise.promise();
  long seq;
  double startTag;
  /** The {@link ScopeLines} line it stands in (what it waits for); null once out of the queue. */
  String line;
  State state = State.WAITING;
  int attempts;
  AdmissionTimers.Cancellable deadlineTimer;

  QueueEntry(AdmissionQueue queue, String tenant, Priority priority, AdmissionAttempt<T> attempt, long enqueuedAt, long deadlineAt) {
    this.queue = queue;
    this.tenant = tenant;
    this.priority = priority;
    this.attempt = attempt;
    this.enqueuedAt = enqueuedAt;
    this.deadlineAt = deadlineAt;
  }

  @Override
  public Future<Ticket<T>> ticket() {
    return promise.future();
  }

  @Override
  public boolean cancel() {
    return queue.cancel(this);
  }

  /** Runs outside the lock. */
  Runnable admit(Object value, long now) {
    @SuppressWarnings("unchecked")
    T v = (T) value;
    Ticket<T> ticket = new Ticket<>(v, tenant, priority, Duration.ofNanos(now - enqueuedAt));
    return () -> promise.tryComplete(ticket);
  }

  /** Runs outside the lock. */
  Runnable abandonLate(Object value) {
    @SuppressWarnings("unchecked")
    T v = (T) value;
    return () -> attempt.abandon(v);
  }

  /** Runs outside the lock. */
  Runnable shed(Shed reason, String detail) {
    ShedException e = new ShedException(reason, detail);
    return () -> promise.tryFail(e);
  }
}
