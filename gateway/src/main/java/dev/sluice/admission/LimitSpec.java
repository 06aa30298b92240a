package dev.sluice.admission;

/**
 * The limits of one scope: requests per minute, tokens per minute and requests in flight. A zero
 * means "no limit" for that dimension. Immutable.
 */
public record LimitSpec(long rpm, long tpm, int maxConcurrency) {
  /** No limit on anything. */
  public static final LimitSpec NONE = new LimitSpec(0, 0, 0);

  public LimitSpec {
    if (rpm < 0 || tpm < 0 || maxConcurrency < 0) {
      throw new IllegalArgumentException("limits are >= 0 (0 = no limit): " + rpm + "/" + tpm + "/" + maxConcurrency);
    }
  }

  public boolean unlimited() {
    return rpm == 0 && tpm == 0 && maxConcurrency == 0;
  }

  /**
   * This replica's share when {@code replicas} replicas enforce the limit without talking to each
   * other (Redis fallback). Rounded down so the replicas together stay under the limit, but never
   * below 1: a limit that was set must not turn into "refuse everything" or "no limit".
   */
  public LimitSpec dividedBy(int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas >= 1: " + replicas);
    }
    if (replicas == 1) {
      return this;
    }
    return new LimitSpec(share(rpm, replicas), share(tpm, replicas), (int) share(maxConcurrency, replicas));
  }

  private static long share(long limit, int replicas) {
    return limit == 0 ? 0 : Math.max(1, limit / replicas);
  }
}
