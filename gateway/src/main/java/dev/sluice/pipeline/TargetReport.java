package dev.sluice.pipeline;

import dev.sluice.core.Target;
import dev.sluice.resilience.BreakerState;
import java.time.Instant;
import java.util.List;

/**
 * One target as the pipeline sees it now: breaker, adaptive concurrency, cool-down, the rate-limit
 * headroom its provider last reported, and what its attempts did since the gateway started. A value
 * (copied when taken); instants are wall-clock, null when unknown or not applicable.
 *
 * @param breakerOpenedAt when the breaker last opened (kept while it is OPEN or HALF_OPEN)
 * @param nextProbeAt OPEN only: when the breaker lets a probe through
 * @param concurrency the target's adaptive concurrency limit
 * @param coolingUntil until when a Retry-After (or an exhausted headroom) keeps the target out; null when not
 * @param headroom the provider's last rate-limit headers; null when it never sent any
 * @param fallbacks attempts that failed over to this target from another target or model entry
 * @param recentErrors newest first, at most {@link TargetActivity#RECENT_ERRORS}
 */
public record TargetReport(Target target, BreakerState breaker, Instant breakerOpenedAt, Instant nextProbeAt,
    long breakerOpenings, Concurrency concurrency, Instant coolingUntil, SeenHeadroom headroom,
    long attempts, long successes, long retries, long hedges, long fallbacks, long errors,
    List<FailureNote> recentErrors) {

  /**
   * The adaptive concurrency limit against the attempts in flight, the latency it judges and its cuts.
   *
   * @param baselineNanos the latency it compares with; null when its window holds none
   * @param latencyNanos its smoothed latency; null before the first success
   * @param lastCut null until the first cut
   */
  public record Concurrency(int limit, int inFlight, Long baselineNanos, Long latencyNanos, long latencyCuts,
      long dropCuts, Cut lastCut) {}

  /** One cut of the limit: {@code latency} or {@code dropped}, from and to, the load it was cut from, when. */
  public record Cut(String cause, int from, int to, int inFlight, Instant at) {}

  /** What the provider said about one dimension (requests or tokens); null fields it did not send. */
  public record SeenQuota(Long limit, Long remaining, String reset) {}

  /** The rate-limit headers of the provider's last answer that had any, and when it came. */
  public record SeenHeadroom(SeenQuota requests, SeenQuota tokens, Instant seenAt) {}

  /** One failed attempt: its upstream status (0 when none came), error class and redacted message. */
  public record FailureNote(Instant at, int status, String errorClass, String message) {}
}
