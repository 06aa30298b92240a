package dev.sluice.switching.canary;

/**
 * Told of each transition (a new version) by the replica that made it: once per transition across
 * all replicas, so a rollback is logged and counted once. Must return at once.
 */
@FunctionalInterface
public interface CanaryListener {
  void onTransition(CanarySpec spec, CanaryState before, CanaryState after);

  CanaryListener NONE = (spec, before, after) -> { };
}
