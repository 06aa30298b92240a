package dev.sluice.config;

import java.util.List;

/** A model entry's {@code shadow} list. */
final class ShadowParser {
  private ShadowParser() {
  }

  static List<ShadowConfig> parse(ConfigNode model) {
    return List.of();
  }
}
