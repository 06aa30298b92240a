package dev.sluice.config;

import java.time.Duration;

/**
 * Admission and cluster settings.
 *
 * @param maxQueue requests that may wait for capacity at once; beyond it, shed at once
 * @param maxWait longest wait in the queue (never past the request's own deadline)
 * @param maxInFlight requests in flight in the whole gateway
 * @param redisUrl null: limits are local to this process; never printed with its password
 * @param redisOnFailure local | fail-open | fail-closed: what limits do while Redis is unreachable
 * @param expectedReplicas with {@code local}, each replica enforces limit ÷ this
 */
public record FlowConfig(int maxQueue, Duration maxWait, int maxInFlight, String redisUrl, String redisOnFailure,
    int expectedReplicas) {
  public static final FlowConfig DEFAULTS = new FlowConfig(10_000, Duration.ofSeconds(10), 20_000, null, "local", 1);

  @Override
  public String toString() {
    return "FlowConfig[maxQueue=" + maxQueue + ", maxWait=" + maxWait + ", maxInFlight=" + maxInFlight + ", redis="
        + dev.sluice.core.Urls.redacted(redisUrl) + " " + redisOnFailure + ", replicas=" + expectedReplicas + "]";
  }
}
