package dev.sluice.admission;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * One {@link AdaptiveLimit} per upstream target, created on first use from a factory (so every
 * target starts from the same configuration). Thread-safe. Targets are never forgotten: their
 * number is the configured targets'.
 */
public final class AdaptiveLimits {
  private final Supplier<AdaptiveLimit> factory;
  private final ConcurrentMap<String, AdaptiveLimit> byTarget = new ConcurrentHashMap<>();

  public AdaptiveLimits(Supplier<AdaptiveLimit> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  public AdaptiveLimit forTarget(String targetId) {
    return byTarget.computeIfAbsent(targetId, id -> factory.get());
  }
}
