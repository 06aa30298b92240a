package dev.sluice.pipeline;

import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import dev.sluice.resilience.BreakerConfig;
import dev.sluice.resilience.BreakerRegistry;
import dev.sluice.resilience.CircuitBreaker;
import dev.sluice.resilience.CooldownTracker;
import dev.sluice.resilience.InFlight;
import dev.sluice.resilience.LatencyTracker;
import dev.sluice.resilience.RetryBudget;
import dev.sluice.resilience.TargetSignals;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the gateway knows about each target's health, shared by every model entry that routes to it:
 * circuit breaker, retry budget, Retry-After cool-down, time-to-first-token, in-flight count, and
 * the activity record the admin API shows ({@link TargetActivity}). Keyed by {@code provider/model}. Thread-safe.
 */
final class TargetHealth {
  private final BreakerRegistry breakers;
  private final CooldownTracker cooldowns;
  private final TargetSignals signals;
  private final Function<Target, RetryBudget.Config> budgetConfigs;
  private final Ticker ticker;
  private final TargetActivity activity;
  private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();

  TargetHealth(Ticker ticker, Function<Target, BreakerConfig> breakerConfigs,
      Function<Target, RetryBudget.Config> budgetConfigs, TargetSignals signals,
      java.util.function.BiConsumer<Target, dev.sluice.resilience.BreakerState> onBreakerChange,
      TargetActivity activity) {
    this.ticker = ticker;
    this.activity = activity;
    this.breakers = new BreakerRegistry(breakerConfigs, ticker, (t, s) -> {
      activity.breakerChanged(t, s);
      onBreakerChange.accept(t, s);
    });
    this.cooldowns = new CooldownTracker(ticker);
    this.signals = signals;
    this.budgetConfigs = budgetConfigs;
  }

  CircuitBreaker breaker(Target t) {
    return breakers.forTarget(t);
  }

  BreakerRegistry breakers() {
    return breakers;
  }

  CooldownTracker cooldowns() {
    return cooldowns;
  }

  RetryBudget retryBudget(Target t) {
    return budgets.computeIfAbsent(t.label(), k -> new RetryBudget(budgetConfigs.apply(t), ticker));
  }

  LatencyTracker latency(Target t) {
    return signals.latencyTracker(t);
  }

  InFlight inFlight(Target t) {
    return signals.inFlightCounter(t);
  }

  TargetActivity activity() {
    return activity;
  }

  TargetSignals signals() {
    return signals;
  }
}
