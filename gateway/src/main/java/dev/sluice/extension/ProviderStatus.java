package dev.sluice.extension;

import java.time.Instant;
import java.util.List;

/**
 * One provider target ({@code provider/model}) as the admin API shows it: breaker, adaptive
 * concurrency limit against attempts in flight now, Retry-After cool-down, the rate-limit headroom
 * the provider last reported, and what its attempts did since the gateway started. Instants are
 * wall-clock; null means unknown or not applicable.
 *
 * @param concurrency the target's adaptive concurrency limit
 * @param coolingUntil until when a Retry-After (or an exhausted headroom) keeps the target out; null when not
 * @param headroom the provider's last rate-limit headers; null when it never sent any
 * @param recentErrors newest first, messages redacted of the provider's credentials
 */
public record ProviderStatus(String target, String provider, String model, BreakerStatus breaker,
    Concurrency concurrency, Instant coolingUntil, Headroom headroom, Counts counts,
    List<RecentError> recentErrors) {

  /**
   * @param state CLOSED, OPEN or HALF_OPEN
   * @param openedAt when it last opened, while OPEN or HALF_OPEN
   * @param nextProbeAt OPEN only: when it lets a probe through
   * @param openings how many times it opened since the start
   */
  public record BreakerStatus(String state, Instant openedAt, Instant nextProbeAt, long openings) {}

  /**
   * The adaptive concurrency limit against attempts in flight now, the latency it judges (time to
   * first token counted from the request's write on a connection) and its cuts.
   *
   * @param baselineMs what the latency is compared with (the recent lowest); null when there is none
   * @param latencyMs the smoothed latency; null before the first success
   * @param latencyCuts cuts for latency rising both 2× and 5 s over the baseline
   * @param dropCuts cuts for a 429, an overloaded answer or a timeout
   * @param lastCut null until the first cut
   */
  public record Concurrency(int limit, int inFlight, Double baselineMs, Double latencyMs, long latencyCuts,
      long dropCuts, Cut lastCut) {}

  /** One cut: {@code latency} or {@code dropped}, the limit before and after, the attempts in flight, when. */
  public record Cut(String cause, int from, int to, int inFlight, Instant at) {}

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
