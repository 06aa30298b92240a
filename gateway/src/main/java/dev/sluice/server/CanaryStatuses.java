package dev.sluice.server;

import dev.sluice.extension.CanaryStatus;
import dev.sluice.switching.canary.CanaryDirector;
import dev.sluice.switching.canary.CanarySpec;
import dev.sluice.switching.canary.CanaryState;
import java.time.Instant;

/** The admin API's view of a canary, from the director's. */
final class CanaryStatuses {
  private CanaryStatuses() {}

  static CanaryStatus of(CanaryDirector.View v) {
    CanarySpec spec = v.spec();
    CanaryState s = v.state();
    long p95 = s.window().p95TtftMillis();
    return new CanaryStatus(spec.entry(), spec.model(), s.phase().wireName(), s.percent(), spec.startPpm() / 10_000.0,
        spec.stepPpm() / 10_000.0, spec.maxPpm() / 10_000.0, spec.everyMillis() / 1000, Instant.ofEpochMilli(s.stepStartedAt()),
        s.window().requests(), s.window().errors(), p95 < 0 ? null : p95, spec.errorRatePpm() / 1_000_000.0,
        spec.p95TtftMillis() > 0 ? spec.p95TtftMillis() : null, spec.minRequests(), s.reason(),
        s.rolledBackAt() == 0 ? null : Instant.ofEpochMilli(s.rolledBackAt()));
  }
}
