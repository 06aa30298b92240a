package dev.sluice.switching.canary;

/**
 * One model entry's canary as configured. Shares are parts per million ({@code 1%} is 10,000), so
 * that every replica and every store compares the same integers.
 *
 * @param entry the model entry whose requests are shared out
 * @param model where the canary share goes: a model entry name or {@code provider/model}
 * @param p95TtftMillis 0: time to first token is not judged
 */
public record CanarySpec(String entry, String model, long startPpm, long stepPpm, long maxPpm, long everyMillis,
    long errorRatePpm, long p95TtftMillis, long minRequests) {
  public static final long WHOLE = 1_000_000;

  /** A share in parts per million from a fraction of 1. */
  public static long ppm(double share) {
    return Math.max(0, Math.min(WHOLE, Math.round(share * WHOLE)));
  }

  /** Identifies the configuration: a stored state with another fingerprint belongs to an older canary and is reset. */
  public String fingerprint() {
    return model + "|" + startPpm + "|" + stepPpm + "|" + maxPpm + "|" + everyMillis + "|" + errorRatePpm + "|"
        + p95TtftMillis + "|" + minRequests;
  }
}
