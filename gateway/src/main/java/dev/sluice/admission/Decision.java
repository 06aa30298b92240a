package dev.sluice.admission;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link AdmissionAttempt} at admission found: admitted (with what it holds), not yet (with a hint
 * of when capacity frees, if known, and what the waiter waits for), or never (the request cannot be
 * served by waiting).
 *
 * @param waitsFor for NOT_YET, the capacity the waiter waits for — the limit that refused it, e.g.
 *     {@code key:app-a} — or null when the attempt does not say. Waiters that wait for the same
 *     thing compete for it; only they count toward each other's predicted wait.
 */
public record Decision<T>(Kind kind, T value, Duration retryAfter, String reason, String waitsFor) {

  public enum Kind { ADMIT, NOT_YET, REJECT }

  public Decision {
    Objects.requireNonNull(kind, "kind");
  }

  public static <T> Decision<T> admit(T value) {
    return new Decision<>(Kind.ADMIT, value, null, null, null);
  }

  /** Not now; {@code retryAfter} (null if unknown) is when capacity frees by time alone. */
  public static <T> Decision<T> notYet(Duration retryAfter) {
    return notYet(retryAfter, null);
  }

  /**
   * Not now, waiting for {@code waitsFor} (see {@link #waitsFor()}; null if unknown);
   * {@code retryAfter} (null if unknown) is when it frees by time alone.
   */
  public static <T> Decision<T> notYet(Duration retryAfter, String waitsFor) {
    return new Decision<>(Kind.NOT_YET, null, retryAfter, null, waitsFor);
  }

  public static <T> Decision<T> reject(String reason) {
    return new Decision<>(Kind.REJECT, null, null, Objects.requireNonNull(reason, "reason"), null);
  }
}
