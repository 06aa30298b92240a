package dev.sluice.config;

/**
 * One shadow candidate of a model entry: a sampled copy of the entry's requests goes to
 * {@code model}, never changing the client's answer.
 */
public record ShadowConfig(String model) {
}
