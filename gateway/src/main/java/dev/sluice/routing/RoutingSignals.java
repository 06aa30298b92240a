package dev.sluice.routing;

import dev.sluice.core.Target;

/**
 * What routing policies may know about targets at the moment of a request. Implementations live
 * where the numbers are kept (resilience's {@code TargetSignals}); routing sees only this. Must be
 * thread-safe and cheap: a policy reads each target's signals once per request. Values may change
 * between two calls; policies read each once and sort on their copy.
 */
public interface RoutingSignals {

  /** Peak-EWMA time to first token in nanoseconds; 0 or NaN when nothing is known. */
  double ewmaTtftNanos(Target t);

  /** Requests outstanding at the target now. */
  int inFlight(Target t);

  /** A blended price per million tokens, in any fixed currency unit; NaN when unknown. */
  double costPerMtok(Target t);

  /** No signals: latency 0, nothing in flight, cost unknown. Signal-driven policies then fall back to config order or random. */
  static RoutingSignals none() {
    return NoSignals.INSTANCE;
  }
}

/** See {@link RoutingSignals#none()}. */
enum NoSignals implements RoutingSignals {
  INSTANCE;

  @Override
  public double ewmaTtftNanos(Target t) {
    return 0;
  }

  @Override
  public int inFlight(Target t) {
    return 0;
  }

  @Override
  public double costPerMtok(Target t) {
    return Double.NaN;
  }
}
