package dev.sluice.observe;

/**
 * Hears of every client request once, when it ends, on the request's event loop: must return at
 * once and never block (queue the work, as the request log and stats do). Implementations are
 * thread-safe: every event loop calls them.
 */
@FunctionalInterface
public interface RequestObserver {
  RequestObserver NONE = summary -> {};

  void requestFinished(RequestSummary summary);

  /** Tells {@code this}, then {@code next}. */
  default RequestObserver andThen(RequestObserver next) {
    return next == NONE ? this : this == NONE ? next : s -> {
      requestFinished(s);
      next.requestFinished(s);
    };
  }
}
