package dev.sluice.switching.canary;

/**
 * How one canary request went on the canary's model: failed (its first attempt there failed, even
 * if a retry or a fallback answered the client afterwards), or answered with this time to first token.
 */
public record CanaryOutcome(boolean error, long ttftMillis) {
  public static CanaryOutcome failed() {
    return new CanaryOutcome(true, -1);
  }

  public static CanaryOutcome answered(long ttftMillis) {
    return new CanaryOutcome(false, Math.max(0, ttftMillis));
  }
}
