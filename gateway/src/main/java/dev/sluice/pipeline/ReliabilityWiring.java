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
    TargetSettings s = TargetSettings.of(config);
    // Every configured target's breaker is exported from the start (closed), not only after its first change.
    s.breakers.keySet().forEach(label -> metrics.breakerState(label, dev.sluice.resilience.BreakerState.CLOSED.ordinal()));
    return new TargetHealth(ticker, s::breaker, s::budget, signals,
        (Target t, dev.sluice.resilience.BreakerState state) -> metrics.breakerState(t.label(), state.ordinal()),
        new TargetActivity(java.time.Clock.systemUTC(), s.configured.values()));
  }

  /**
   * A config reload: targets whose settings changed from {@code running} to {@code next} (their
   * breaker or retry-budget settings, or their provider's config), and targets no longer configured,
   * start over; every other target keeps its state. Returns the labels that started over.
   */
  static java.util.Set<String> reconfigure(TargetHealth health, SluiceConfig running, SluiceConfig next,
      GatewayMetrics metrics) {
    TargetSettings before = TargetSettings.of(running);
    TargetSettings after = TargetSettings.of(next);
    java.util.Set<String> changed = new java.util.TreeSet<>();
    for (String label : before.breakers.keySet()) {
      String provider = before.configured.get(label).provider(); // the label is provider/model: the same in both
      boolean kept = after.breakers.containsKey(label) && before.breakers.get(label).equals(after.breakers.get(label))
          && before.budgets.get(label).equals(after.budgets.get(label))
          && running.provider(provider).equals(next.provider(provider));
      if (!kept) {
        changed.add(label);
      }
    }
    health.reconfigure(after::breaker, after::budget, changed);
    health.activity().configured(after.configured.values());
    after.breakers.keySet().stream().filter(l -> changed.contains(l) || !before.breakers.containsKey(l))
        .forEach(label -> metrics.breakerState(label, dev.sluice.resilience.BreakerState.CLOSED.ordinal()));
    return changed;
  }

  /** The breaker and retry-budget settings of each configured target, by label. */
  private record TargetSettings(Map<String, BreakerConfig> breakers, Map<String, RetryBudget.Config> budgets,
      Map<String, Target> configured) {

    BreakerConfig breaker(Target t) {
      return breakers.getOrDefault(t.label(), BreakerConfig.defaults());
    }

    RetryBudget.Config budget(Target t) {
      return budgets.getOrDefault(t.label(), new RetryBudget.Config(0.2, Duration.ofSeconds(10), MIN_RETRIES_PER_SECOND));
    }

    static TargetSettings of(SluiceConfig config) {
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
      return new TargetSettings(breakers, budgets, configured);
    }
  }
}
