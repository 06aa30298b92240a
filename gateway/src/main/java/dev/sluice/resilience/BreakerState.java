package dev.sluice.resilience;

/** The state of one target's {@link CircuitBreaker}. */
public enum BreakerState {
  /** Traffic flows; outcomes are counted. */
  CLOSED,
  /** Traffic is refused until the cooldown has elapsed. */
  OPEN,
  /** The cooldown has elapsed: a few probe requests decide between CLOSED and OPEN. */
  HALF_OPEN
}
