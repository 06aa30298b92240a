package dev.sluice.switching.canary;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each transition (a rollback as a warning with its reason and numbers), then tells the listener. */
final class Transitions implements CanaryListener {
  private static final Logger LOG = LoggerFactory.getLogger(Transitions.class);
  private final CanaryListener listener;

  Transitions(CanaryListener listener) {
    this.listener = listener;
  }

  @Override
  public void onTransition(CanarySpec spec, CanaryState before, CanaryState after) {
    if (after.phase() == CanaryPhase.ROLLED_BACK && before.phase() != CanaryPhase.ROLLED_BACK) {
      LOG.warn("Canary of model '{}' to '{}' rolled back to 0%: {}", spec.entry(), spec.model(), after.reason());
    } else if (after.sharePpm() != before.sharePpm() || after.phase() != before.phase()) {
      LOG.info("Canary of model '{}' to '{}': {} at {}% (was {} at {}%)", spec.entry(), spec.model(),
          after.phase().wireName(), after.percent(), before.phase().wireName(), before.percent());
    }
    try {
      listener.onTransition(spec, before, after);
    } catch (RuntimeException e) {
      LOG.warn("Canary listener failed", e);
    }
  }
}
