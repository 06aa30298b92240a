package dev.sluice.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants are stored as epoch milliseconds; values are cut to that on the way in so they round-trip. */
final class Millis {
  private Millis() {}

  static Instant truncate(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
  }

  static Long of(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }

  static Instant instant(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }
}
