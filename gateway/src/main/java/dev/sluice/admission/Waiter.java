package dev.sluice.admission;

import io.vertx.core.Future;

/** A request in the {@link AdmissionQueue}. Thread-safe. */
public interface Waiter<T> {

  /**
   * Completes with the ticket once admitted, or fails with a {@link ShedException}. Completes on
   * the thread that admitted or shed it (a signalling thread, a timer, or the caller's own).
   */
  Future<Ticket<T>> ticket();

  /**
   * Leaves the queue (the client went away): the ticket fails with {@link Shed#CANCELLED}. Returns
   * false if it had already been admitted or shed — then whoever holds the ticket releases it.
   */
  boolean cancel();
}
