package dev.sluice.admission;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link AdmissionAttempt} at admission found: admitted (with what it holds), not yet (with a hint
 * of when capacity frees, if known), or never (the request cannot be served by waiting).
 */
public record Decision<T>(Kind kind, T value, Duration retryAfter, String reason) {

  public enum Kind { ADMIT, NOT_YET, REJECT }

  public Decision {
    Objects.requireNonNull(kind, "kind");
  }

  public static <T> Decision<T> admit(T value) {
    return new Decision<>(Kind.ADMIT, value, null, null);
  }

  /** Not now; {@code retryAfter} (null if unknown) is when capacity frees by time alone. */
  public static <T> Decision<T> notYet(Duration retryAfter) {
    return new Decision<>(Kind.NOT_YET, null, retryAfter, null);
  }

  public static <T> Decision<T> reject(String reason) {
    return new Decision<>(Kind.REJECT, null, null, Objects.requireNonNull(reason, "reason"));
  }
}
