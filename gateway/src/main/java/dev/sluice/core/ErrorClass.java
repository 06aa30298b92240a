package dev.sluice.core;

/**
 * What a failed upstream attempt means, which decides whether to retry it, fail over, or return it
 * to the client. Kept in {@code core} so resilience policies can act on it without seeing providers.
 */
public enum ErrorClass {
  RATE_LIMITED(true),
  OVERLOADED(true),
  SERVER_ERROR(true),
  TIMEOUT(true),
  CONNECTION(true),
  CONTEXT_LENGTH_EXCEEDED(false),
  CONTENT_FILTER(false),
  AUTH(false),
  NOT_FOUND(false),
  BAD_REQUEST(false);

  private final boolean transient_;

  ErrorClass(boolean transient_) {
    this.transient_ = transient_;
  }

  /** Whether the same call may succeed later or elsewhere (the client did nothing wrong). */
  public boolean isTransient() {
    return transient_;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
