package dev.sluice.admission;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One try at admitting a waiting request, made by the {@link AdmissionQueue} when the request
 * reaches its turn and again each time capacity may have freed. It takes the capacity itself
 * (reserves the rate limits, acquires the slot): the queue decides the order, the attempt decides
 * whether there is room.
 *
 * <p>Called from whichever thread signals the queue, never concurrently for one waiter. Must not
 * block; a synchronous attempt returns a completed future.
 */
@FunctionalInterface
public interface AdmissionAttempt<T> {

  Future<Decision<T>> tryAdmit();

  /**
   * The attempt admitted, but the waiter had meanwhile timed out or been cancelled: give back what
   * {@code value} holds. Default: nothing to give back.
   */
  default void abandon(T value) {}

  /** A synchronous gate: {@code acquire} takes capacity or says no; {@code undo} gives it back. */
  static AdmissionAttempt<Void> of(BooleanSupplier acquire, Runnable undo) {
    return new AdmissionAttempt<>() {
      @Override
      public Future<Decision<Void>> tryAdmit() {
        return Future.succeededFuture(acquire.getAsBoolean() ? Decision.admit(null) : Decision.notYet(null));
      }

      @Override
      public void abandon(Void value) {
        undo.run();
      }
    };
  }

  /**
   * Reserves rate limits: admitted holds the {@link Reservation}; LIMITED waits (with the
   * limiter's retry-after as the refill hint, for the refusing scope); TOO_LARGE and UNAVAILABLE are rejected, since
   * waiting cannot help.
   */
  static AdmissionAttempt<Reservation> reserve(RateLimiter limiter, List<ScopedLimit> limits, long estimatedTokens) {
    return new AdmissionAttempt<>() {
      @Override
      public Future<Decision<Reservation>> tryAdmit() {
        return limiter.reserve(limits, estimatedTokens).map(a -> switch (a.verdict()) {
          case ADMITTED -> Decision.admit(a.reservation());
          case LIMITED -> Decision.notYet(a.retryAfter(), a.scope().map(Scope::toString).orElse(null));
          case TOO_LARGE, UNAVAILABLE -> Decision.reject(a.reason());
        });
      }

      @Override
      public void abandon(Reservation reservation) {
        reservation.release();
      }
    };
  }
}
