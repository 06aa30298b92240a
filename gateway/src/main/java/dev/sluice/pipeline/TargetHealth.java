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
 *
 * <p>It outlives config reloads: a reload swaps the config functions ({@link #reconfigure}) and
 * forgets the state of the targets it changed; every other target keeps its breaker, budget,
 * cool-down and latency.
 */
final class TargetHealth {
  private final BreakerRegistry breakers;
  private final CooldownTracker cooldowns;
  private final TargetSignals signals;
  private volatile Function<Target, BreakerConfig> breakerConfigs;
  private volatile Function<Target, RetryBudget.Config> budgetConfigs;
  private final Ticker ticker;
  private final TargetActivity activity;
  private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();

  TargetHealth(Ticker ticker, Function<Target, BreakerConfig> breakerConfigs,
      Function<Target, RetryBudget.Config> budgetConfigs, TargetSignals signals,
      java.util.function.BiConsumer<Target, dev.sluice.resilience.BreakerState> onBreakerChange,
      TargetActivity activity) {
    this.ticker = ticker;
    this.activity = activity;
    this.breakerConfigs = breakerConfigs;
    this.breakers = new BreakerRegistry(t -> this.breakerConfigs.apply(t), ticker, (t, s) -> {
      activity.breakerChanged(t, s);
      onBreakerChange.accept(t, s);
    });
    this.cooldowns = new CooldownTracker(ticker);
    this.signals = signals;
    this.budgetConfigs = budgetConfigs;
  }

  /**
   * After a config reload: targets first used from now on take their settings from these functions,
   * and the targets labelled {@code changed} start over (breaker closed, fresh retry budget, no
   * cool-down, no learned latency). Requests in flight keep reporting to what they hold.
   */
  void reconfigure(Function<Target, BreakerConfig> breakerConfigs, Function<Target, RetryBudget.Config> budgetConfigs,
      java.util.Collection<String> changed) {
    this.breakerConfigs = breakerConfigs;
    this.budgetConfigs = budgetConfigs;
    for (String label : changed) {
      breakers.forget(label);
      budgets.remove(label);
      cooldowns.forget(label);
      signals.forgetLatency(label);
    }
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

  /**
   * Whether a request that failed elsewhere may make an attempt on {@code t} now. A target that is
   * serving (breaker closed, no failure since its last success) takes it free: that is the one attempt
   * this request makes there, not a retry piling onto a target in trouble — a burst that failed
   * together on one target (a partition, a wall of 503s) fails over together, to a backup that had no
   * traffic of its own to earn a budget with. A target that is failing itself takes it only within its
   * retry budget (which counts it), so an outage of every target cannot multiply the load.
   */
  boolean takesFailOver(Target t) {
    return breaker(t).isServing() || retryBudget(t).tryAcquireRetry();
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
