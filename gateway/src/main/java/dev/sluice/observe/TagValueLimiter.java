package dev.sluice.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the distinct values of a client-chosen tag: past the cap, new values read {@code other}, so a
 * client sending random model names cannot grow the metrics without bound.
 */
final class TagValueLimiter {
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final int max;

  TagValueLimiter(int max) {
    this.max = max;
  }

  String limit(String value) {
    if (value == null) {
      return "none";
    }
    if (seen.contains(value)) {
      return value;
    }
    if (seen.size() >= max) {
      return "other";
    }
    seen.add(value);
    return value;
  }
}
