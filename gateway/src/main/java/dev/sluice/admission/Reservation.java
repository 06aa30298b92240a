package dev.sluice.admission;

import io.vertx.core.Future;

/**
 * What an admitted {@link RateLimiter#reserve} holds: one request counted against rpm, the
 * estimated tokens against tpm and one concurrency slot, in every listed scope.
 *
 * <p>Exactly one of {@link #settle} or {@link #release} must follow, also when the request fails
 * (hot-path rule 7); only the first call counts, later calls complete at once and do nothing.
 * Thread-safe: may be settled from any thread.
 */
public interface Reservation {

  /** The tokens charged at reserve time. */
  long estimatedTokens();

  /**
   * The request finished: charges {@code actualTokens - estimatedTokens} to tpm (a negative
   * difference gives tokens back, at most the whole estimate) and frees the concurrency slot. The
   * request stays counted against rpm.
   */
  Future<Void> settle(long actualTokens);

  /**
   * The request never reached upstream or was cancelled before any usage: gives the whole token
   * estimate back and frees the concurrency slot, i.e. {@code settle(0)}. rpm stays charged — the
   * client did make the request.
   */
  default Future<Void> release() {
    return settle(0);
  }

  /** True once settled or released. */
  boolean done();

  /** A reservation that holds nothing (fail-open admissions, requests with no limits). */
  static Reservation none(long estimatedTokens) {
    return new Reservation() {
      private volatile boolean done;

      @Override
      public long estimatedTokens() {
        return estimatedTokens;
      }

      @Override
      public Future<Void> settle(long actualTokens) {
        done = true;
        return Future.succeededFuture();
      }

      @Override
      public boolean done() {
        return done;
      }
    };
  }
}
