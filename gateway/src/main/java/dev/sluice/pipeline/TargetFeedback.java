package dev.sluice.pipeline;

import dev.sluice.admission.AdaptiveLimit;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import io.vertx.core.MultiMap;
import java.time.Duration;

/**
 * What an attempt's end teaches about its target: the breaker's outcome, the adaptive concurrency
 * signal (success with its latency / dropped / ignored, in the style of Netflix concurrency-limits),
 * the in-flight count, and the provider's own headroom headers. Every attempt is released exactly
 * once. Thread-safe (the pieces it updates are).
 */
final class TargetFeedback {
  /** How an attempt ended, as far as its target is concerned. */
  enum Signal { SUCCESS, FAILURE, DROPPED, IGNORED }

  private final Services services;
  /** Null unless the request went to a canary (then its first attempt there is its canary outcome). */
  private final dev.sluice.switching.canary.CanaryTap canary;

  TargetFeedback(Services services) {
    this(services, null);
  }

  TargetFeedback(Services services, dev.sluice.switching.canary.CanaryTap canary) {
    this.services = services;
    this.canary = canary;
  }

  void release(UpstreamAttempt a, Signal signal) {
    if (canary != null) {
      if (signal == Signal.SUCCESS) {
        canary.answered(a.target(), a.ttftNanos() >= 0 ? a.ttftNanos() : a.latencyNanos());
      } else if (signal != Signal.IGNORED) {
        canary.failed(a.target());
      }
    }
    services.health().inFlight(a.target()).decrement();
    AdaptiveLimit limit = a.adaptiveLimit();
    switch (signal) {
      case SUCCESS -> {
        services.health().breaker(a.target()).onSuccess();
        limit.onSuccess(Math.max(1, a.targetLatencyNanos()));
      }
      case FAILURE -> {
        services.health().breaker(a.target()).onFailure();
        limit.onIgnored();
      }
      case DROPPED -> {
        services.health().breaker(a.target()).onFailure();
        limit.onDropped();
      }
      case IGNORED -> {
        // A client that left or a hedge that lost says nothing about the target.
        services.health().breaker(a.target()).onIgnored();
        limit.onIgnored();
      }
    }
  }

  /**
   * A provider that says it has no requests (or tokens) left until a reset is cooled down until
   * then, so routing sends the next requests elsewhere instead of collecting a 429. The headroom
   * is kept for the admin API either way.
   */
  void noteHeadroom(UpstreamAttempt a) {
    MultiMap h = a.responseHeaders();
    if (h == null) {
      return;
    }
    services.health().activity().headroom(a.target(), h);
    Duration wait = ProviderHeadroom.exhaustedFor(h);
    if (wait != null) {
      services.health().cooldowns().coolDown(a.target(), wait);
    }
  }

  /**
   * Errors that mean the target is over its capacity: the adaptive limit shrinks on them. A timeout
   * counts only once the request was written: a connection that could not be opened in time (a TLS
   * handshake on a CPU-starved host, a provider's address black-holed) says nothing about how many
   * requests the provider can serve at once — the breaker counts it, and the request fails over. As a
   * drop it cut the limit to a share of the streams in flight, and the next streams were refused with
   * 429 (cold ramps of 8,000 streams, bench/results/streams-h2.md).
   */
  static boolean dropsLoad(UpstreamAttempt a, UpstreamError e) {
    return e.errorClass() == ErrorClass.RATE_LIMITED || e.errorClass() == ErrorClass.OVERLOADED
        || (e.errorClass() == ErrorClass.TIMEOUT && a.written());
  }

  /** Failures that count against the target's breaker: transient ones, and its key or model being wrong. */
  static boolean countsAgainstTarget(UpstreamError e) {
    return e.errorClass().isTransient() || e.errorClass() == ErrorClass.AUTH || e.errorClass() == ErrorClass.NOT_FOUND;
  }
}
