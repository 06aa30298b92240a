package dev.sluice.server;

import dev.sluice.extension.ProviderStatus;
import dev.sluice.pipeline.RequestPipeline;
import dev.sluice.pipeline.TargetReport;

/** The pipeline's per-target reports in the admin seam's terms (the extension may not see the pipeline). */
final class ProviderStatuses {
  private ProviderStatuses() {}

  static ProviderStatus.Report of(RequestPipeline pipeline) {
    return new ProviderStatus.Report(pipeline.countingSince(),
        pipeline.targetReports().stream().map(ProviderStatuses::status).toList());
  }

  private static ProviderStatus status(TargetReport r) {
    TargetReport.SeenHeadroom h = r.headroom();
    return new ProviderStatus(r.target().label(), r.target().provider(), r.target().model(),
        new ProviderStatus.BreakerStatus(r.breaker().name(), r.breakerOpenedAt(), r.nextProbeAt(), r.breakerOpenings()),
        concurrency(r.concurrency()), r.coolingUntil(),
        h == null ? null : new ProviderStatus.Headroom(quota(h.requests()), quota(h.tokens()), h.seenAt()),
        new ProviderStatus.Counts(r.attempts(), r.successes(), r.retries(), r.hedges(), r.fallbacks(), r.errors()),
        r.recentErrors().stream()
            .map(e -> new ProviderStatus.RecentError(e.at(), e.status(), e.errorClass(), e.message())).toList());
  }

  private static ProviderStatus.Concurrency concurrency(TargetReport.Concurrency c) {
    TargetReport.Cut last = c.lastCut();
    return new ProviderStatus.Concurrency(c.limit(), c.inFlight(), millis(c.baselineNanos()), millis(c.latencyNanos()),
        c.latencyCuts(), c.dropCuts(), last == null ? null
            : new ProviderStatus.Cut(last.cause(), last.from(), last.to(), last.inFlight(), last.at()));
  }

  /** Milliseconds to the tenth. */
  private static Double millis(Long nanos) {
    return nanos == null ? null : Math.round(nanos / 100_000.0) / 10.0;
  }

  private static ProviderStatus.Quota quota(TargetReport.SeenQuota q) {
    return q == null ? null : new ProviderStatus.Quota(q.limit(), q.remaining(), q.reset());
  }
}
