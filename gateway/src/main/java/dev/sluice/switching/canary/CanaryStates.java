package dev.sluice.switching.canary;

import io.vertx.core.Future;

/**
 * Where canary states live and change. Every method applies {@link CanaryRules} atomically for the
 * canary it names — in this process, or in Redis for all replicas at once — and completes with the
 * state that resulted. Thread-safe.
 */
public interface CanaryStates {

  /** Loads the entry's state, or starts it fresh when none is stored or the stored one belongs to another config. */
  Future<CanaryState> init(CanarySpec spec, long now);

  /** Adds one request's outcome to the window and judges the result. */
  Future<CanaryState> record(CanarySpec spec, CanaryOutcome outcome, long now);

  /** Judges the state at {@code now} (steps, window roll-overs), and reads what other replicas did. */
  Future<CanaryState> evaluate(CanarySpec spec, long now);

  /** An operator's action; fails with {@link IllegalStateException} when it does not apply. */
  Future<CanaryState> command(CanarySpec spec, CanaryAction action, long now);

  /**
   * Completes once every transition made so far is saved (or failed to save), so a shutdown can let
   * the last step land before the store closes. Already saved when the write is the change itself
   * (Redis).
   */
  default Future<Void> settled() {
    return Future.succeededFuture();
  }
}
