package dev.sluice.config;

/** A model entry's response cache; null on the entry when caching is off. */
public record CacheConfig() {
}
