package dev.sluice.config;

/** A model entry's {@code cache}. */
final class CacheParser {
  private CacheParser() {
  }

  /** Null when the entry has no response cache. */
  static CacheConfig parse(ConfigNode model) {
    return null;
  }
}
