package dev.sluice.admission;

import java.util.List;
import java.util.Objects;

/** Argument checks shared by the limiters. */
final class Limits {
  private Limits() {}

  /**
   * A scope listed twice would be checked twice against the same state and charged twice, which
   * breaks all-or-nothing; it is a wiring bug, so it fails loudly.
   */
  static void check(List<ScopedLimit> limits, long estimatedTokens) {
    Objects.requireNonNull(limits, "limits");
    if (estimatedTokens < 0) {
      throw new IllegalArgumentException("estimatedTokens >= 0: " + estimatedTokens);
    }
    // A request carries a handful of scopes (key, team, model...): comparing pairs beats a HashSet
    // allocated on every reservation.
    int n = limits.size();
    for (int i = 0; i < n; i++) {
      ScopedLimit l = Objects.requireNonNull(limits.get(i), "limit");
      for (int j = 0; j < i; j++) {
        if (Objects.equals(limits.get(j).scope(), l.scope())) {
          throw new IllegalArgumentException("scope listed twice: " + l.scope());
        }
      }
    }
  }
}
