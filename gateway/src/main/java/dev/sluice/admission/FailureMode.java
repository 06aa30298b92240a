package dev.sluice.admission;

/** What {@link RedisRateLimiter} does while Redis does not answer. */
public enum FailureMode {
  /**
   * Enforce each limit in this process, divided by the expected number of replicas: the fleet
   * stays roughly within its limits without coordination.
   */
  LOCAL,
  /** Admit everything: availability over enforcement. */
  FAIL_OPEN,
  /** Refuse everything with 503 "rate limiter unavailable": enforcement over availability. */
  FAIL_CLOSED
}
