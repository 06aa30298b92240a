package dev.sluice.config;

/** A model entry's {@code canary} and {@code sticky}. */
final class CanaryParser {
  private CanaryParser() {
  }

  /** Null when the entry has no canary. */
  static CanaryConfig canary(ConfigNode model) {
    return null;
  }

  /** Whether a conversation stays on one target (default true). */
  static boolean sticky(ConfigNode model) {
    return model.bool("sticky", true);
  }
}
