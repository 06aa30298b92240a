package dev.sluice.config;

/** A model entry's canary: a share of its traffic ramped to {@code model}, rolled back when it misbehaves. */
public record CanaryConfig(String model) {
}
