package dev.sluice.pipeline;

import dev.sluice.config.ModelConfig;
import dev.sluice.config.ReliabilityConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.resilience.Backoff;
import dev.sluice.resilience.BreakerConfig;
import dev.sluice.resilience.ErrorPolicy;
import dev.sluice.resilience.HedgeBudget;
import dev.sluice.resilience.LatencyHistogram;
import dev.sluice.resilience.RetryBudget;
import dev.sluice.resilience.RetryDecision.Action;
import dev.sluice.resilience.SameTargetCap;
import dev.sluice.resilience.TargetSignals;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Turns the reliability config into run-time objects: model plans and shared target health. */
final class ReliabilityWiring {
  /**
   * Extra attempts a target may always get per second, whatever its traffic: a floor under the
   * ratio (not added to it), so a quiet model still retries while a busy one stays within its ratio.
   */
  static final double MIN_RETRIES_PER_SECOND = 5;

  private ReliabilityWiring() {}

  static ModelPlan plan(String name, ReliabilityConfig r, Ticker ticker) {
    ErrorPolicy errors = ErrorPolicy.defaults();
    for (Map.Entry<ErrorClass, String> e : r.onError().entrySet()) {
      errors = errors.withOverride(e.getKey(), action(e.getValue()));
    }
    HedgeBudget hedgeBudget = new HedgeBudget(r.hedge() == null ? HedgeBudget.DEFAULT_MAX_EXTRA : r.hedge().maxExtra(),
        HedgeBudget.DEFAULT_WINDOW, ticker);
    return new ModelPlan(name, errors, r.retries().maxAttempts(), new SameTargetCap(r.retries().sameTarget()),
        new Backoff(r.retries().backoff(), r.retries().maxBackoff()), r.timeouts(), r.hedge(), hedgeBudget,
        new LatencyHistogram(ticker), r.fallbacks(), r.onContextLength(), r.onContentFilter(), r.degraded());
  }

  private static Action action(String configName) {
    return switch (configName) {
      case "retry", "retry_same" -> Action.RETRY_SAME;
      case "fail_over" -> Action.FAIL_OVER;
      default -> Action.RETURN;
    };
  }

  /**
   * Target health shared by all model entries. A target used by several entries takes the breaker
   * and retry-budget settings of the first entry that lists it.
   */
  static TargetHealth health(SluiceConfig config, Ticker ticker, GatewayMetrics metrics, TargetSignals signals) {
    Map<String, BreakerConfig> breakers = new HashMap<>();
    Map<String, RetryBudget.Config> budgets = new HashMap<>();
    Map<String, Target> configured = new java.util.TreeMap<>();
    for (ModelConfig m : config.models()) {
      ReliabilityConfig.Breaker b = m.reliability().breaker();
      BreakerConfig bc = BreakerConfig.defaults().withConsecutiveFailures(b.consecutiveFailures())
          .withFailureRate(b.failureRate(), b.minimumRequests(), b.window()).withCooldown(b.cooldown(), b.maxCooldown());
      RetryBudget.Config rc = new RetryBudget.Config(m.reliability().retries().budget(), Duration.ofSeconds(10),
          MIN_RETRIES_PER_SECOND);
      for (ModelConfig.TargetConfig t : m.targets()) {
        String label = t.provider() + "/" + t.model();
        breakers.putIfAbsent(label, bc);
        budgets.putIfAbsent(label, rc);
        configured.putIfAbsent(label, new Target(t.provider(), t.model(), t.weight()));
      }
    }
    // Every configured target's breaker is exported from the start (closed), not only after its first change.
    breakers.keySet().forEach(label -> metrics.breakerState(label, dev.sluice.resilience.BreakerState.CLOSED.ordinal()));
    return new TargetHealth(ticker, t -> breakers.getOrDefault(t.label(), BreakerConfig.defaults()),
        t -> budgets.getOrDefault(t.label(), new RetryBudget.Config(0.2, Duration.ofSeconds(10), MIN_RETRIES_PER_SECOND)),
        signals,
        (Target t, dev.sluice.resilience.BreakerState s) -> metrics.breakerState(t.label(), s.ordinal()),
        new TargetActivity(java.time.Clock.systemUTC(), configured.values()));
  }
}
