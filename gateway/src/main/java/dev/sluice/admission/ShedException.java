package dev.sluice.admission;

import java.util.Objects;

/**
 * The failure of a shed request's {@link Waiter#ticket()} future. Without a stack trace: shedding
 * is an expected, cheap outcome under load, not a bug.
 */
public final class ShedException extends RuntimeException {
  private final Shed reason;

  public ShedException(Shed reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Shed reason() {
    return reason;
  }
}
