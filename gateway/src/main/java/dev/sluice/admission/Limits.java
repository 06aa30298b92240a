package dev.sluice.admission;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
    Set<Scope> seen = new HashSet<>();
    for (ScopedLimit l : limits) {
      if (!seen.add(Objects.requireNonNull(l, "limit").scope())) {
        throw new IllegalArgumentException("scope listed twice: " + l.scope());
      }
    }
  }
}
