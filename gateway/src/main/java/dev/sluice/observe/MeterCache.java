package dev.sluice.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Resolved meters by their tag values, so that the request path only increments or records: a
 * Micrometer look-up builds and sorts a {@code Tags}, a {@code Meter.Id} and probes the registry
 * (~1.4 kB and 1.5 µs for one request's metrics in {@code RequestBench}). Keys must be of bounded
 * cardinality (model names go through {@link TagValueLimiter} first); meters are never removed from
 * the registry, so a cached meter stays the registered one.
 */
final class MeterCache<K, M> {
  private final ConcurrentHashMap<K, M> meters = new ConcurrentHashMap<>();
  private final Function<K, M> register;

  MeterCache(Function<K, M> register) {
    this.register = register;
  }

  M get(K key) {
    M m = meters.get(key); // a plain get first: computeIfAbsent locks its bin even on a hit
    return m != null ? m : meters.computeIfAbsent(key, register);
  }
}
