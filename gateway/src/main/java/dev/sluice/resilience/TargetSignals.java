package dev.sluice.resilience;

import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import dev.sluice.routing.RoutingSignals;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The live per-target numbers routing reads: a {@link LatencyTracker} and an {@link InFlight} per
 * target (keyed by {@link Target#label()}, created on first use), and a price per million tokens
 * from a supplied function (NaN when unknown: resilience may not see the cost package). The
 * orchestrator records into {@link #latencyTracker} and {@link #inFlightCounter}; policies read the
 * {@link RoutingSignals} view. Thread-safe; lookups of known targets do not lock.
 */
public final class TargetSignals implements RoutingSignals {
  private final ConcurrentHashMap<String, LatencyTracker> latency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, InFlight> inFlight = new ConcurrentHashMap<>();
  private final Ticker ticker;
  private final Duration decay;
  private final Duration coldStart;
  private final ToDoubleFunction<Target> costPerMtok;

  /** Default latency settings (τ 10s, cold start 1s), cost unknown. */
  public TargetSignals(Ticker ticker) {
    this(ticker, LatencyTracker.DEFAULT_DECAY, LatencyTracker.DEFAULT_COLD_START, t -> Double.NaN);
  }

  public TargetSignals(Ticker ticker, ToDoubleFunction<Target> costPerMtok) {
    this(ticker, LatencyTracker.DEFAULT_DECAY, LatencyTracker.DEFAULT_COLD_START, costPerMtok);
  }

  /** @param costPerMtok must be cheap and thread-safe; NaN for unknown */
  public TargetSignals(Ticker ticker, Duration decay, Duration coldStart, ToDoubleFunction<Target> costPerMtok) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.decay = Objects.requireNonNull(decay, "decay");
    this.coldStart = Objects.requireNonNull(coldStart, "coldStart");
    this.costPerMtok = Objects.requireNonNull(costPerMtok, "costPerMtok");
    new LatencyTracker(ticker, decay, coldStart); // validate the settings now, not at first use
  }

  public LatencyTracker latencyTracker(Target t) {
    LatencyTracker l = latency.get(t.label());
    return l != null ? l : latency.computeIfAbsent(t.label(), k -> new LatencyTracker(ticker, decay, coldStart));
  }

  /**
   * Forgets the latency learned for {@code label} (a config reload changed that target). The
   * in-flight count is kept: requests still running on the target will decrement it.
   */
  public void forgetLatency(String label) {
    latency.remove(label);
  }

  public InFlight inFlightCounter(Target t) {
    InFlight f = inFlight.get(t.label());
    return f != null ? f : inFlight.computeIfAbsent(t.label(), k -> new InFlight());
  }

  @Override
  public double ewmaTtftNanos(Target t) {
    return latencyTracker(t).ewmaNanos();
  }

  @Override
  public int inFlight(Target t) {
    return inFlightCounter(t).current();
  }

  @Override
  public double costPerMtok(Target t) {
    return costPerMtok.applyAsDouble(t);
  }
}
