package dev.sluice.config;

import java.util.Set;

/** A target's {@code system_prompt} and {@code params}. */
final class AdaptationParser {
  static final Set<String> TARGET_KEYS = Set.of("system_prompt", "params");

  private AdaptationParser() {
  }

  static AdaptationConfig parse(ConfigNode target) {
    return AdaptationConfig.NONE;
  }
}
