package dev.sluice.extension;

import java.time.Instant;
import java.util.List;

/**
 * One provider target ({@code provider/model}) as the admin API shows it: breaker, adaptive
 * concurrency limit against attempts in flight now, Retry-After cool-down, the rate-limit headroom
 * the provider last reported, and what its attempts did since the gateway started. Instants are
 * wall-clock; null means unknown or not applicable.
 *
 * @param limitBaselineMs the latency the adaptive limit compares with (the recent lowest time to first
 *     token, counted from the request's write on a connection); null when it has none
 * @param limitLatencyMs the adaptive limit's smoothed time to first token; null before the first success
 * @param coolingUntil until when a Retry-After (or an exhausted headroom) keeps the target out; null when not
 * @param headroom the provider's last rate-limit headers; null when it never sent any
 * @param recentErrors newest first, messages redacted of the provider's credentials
 */
public record ProviderStatus(String target, String provider, String model, BreakerStatus breaker,
    int concurrencyLimit, int inFlight, Double limitBaselineMs, Double limitLatencyMs, Instant coolingUntil, Headroom headroom, Counts counts,
    List<RecentError> recentErrors) {

  /**
   * @param state CLOSED, OPEN or HALF_OPEN
   * @param openedAt when it last opened, while OPEN or HALF_OPEN
   * @param nextProbeAt OPEN only: when it lets a probe through
   * @param openings how many times it opened since the start
   */
  public record BreakerStatus(String state, Instant openedAt, Instant nextProbeAt, long openings) {}

  /** One dimension of the provider's rate limit as it reported it; null parts it did not send. */
  public record Quota(Long limit, Long remaining, String reset) {}

  /** The rate-limit headers of the provider's last answer that had any, and when that answer came. */
  public record Headroom(Quota requests, Quota tokens, Instant seenAt) {}

  /** Attempts since the start by why they were made ({@code fallbacks}: fail-overs to this target). */
  public record Counts(long attempts, long successes, long retries, long hedges, long fallbacks, long errors) {}

  /** One failed attempt: upstream status (0 when none came), error class, redacted message. */
  public record RecentError(Instant at, int status, String errorClass, String message) {}

  /** Every known target, by label, and since when their counts run. */
  public record Report(Instant since, List<ProviderStatus> targets) {}
}
