package dev.sluice.resilience;

/**
 * How many times one request may retry the same target while somewhere else is left to try. Past
 * the cap, a {@link RetryDecision.Action#RETRY_SAME} is taken as a
 * {@link RetryDecision.Action#FAIL_OVER}: a target that failed twice in a row is more likely down
 * than blipping, and a healthy alternative is one attempt away.
 * The caller goes back to the capped target only when the fail-over finds no other target or
 * fallback to try (a model with one target still retries it up to its attempt limit). Immutable.
 *
 * @param retries retries of one target per request (≥ 0); 1 means at most two attempts on it
 *     before the next target
 */
public record SameTargetCap(int retries) {
  /** One retry, then the next target. */
  public static final SameTargetCap DEFAULT = new SameTargetCap(1);

  public SameTargetCap {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be ≥ 0: " + retries);
    }
  }

  /** Whether a target that has had {@code attemptsOnTarget} attempts in this request may be retried. */
  public boolean allowsRetry(int attemptsOnTarget) {
    return attemptsOnTarget <= retries;
  }
}
