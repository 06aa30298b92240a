package dev.sluice.admission;

import java.util.Objects;

/** One scope and the limits that apply to it, as passed to {@link RateLimiter#reserve}. */
public record ScopedLimit(Scope scope, LimitSpec spec) {
  public ScopedLimit {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(spec, "spec");
  }
}
