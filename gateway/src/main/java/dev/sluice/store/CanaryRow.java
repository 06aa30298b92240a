package dev.sluice.store;

/**
 * A canary's saved state (see {@code switching.canary.CanaryState}, without its window).
 *
 * @param model the model entry whose canary it is
 * @param sharePpm the share in parts per million
 * @param stepStartedAt epoch milliseconds
 * @param rolledBackAt epoch milliseconds; 0 if never
 */
public record CanaryRow(String model, String fingerprint, String phase, long sharePpm, long stepStartedAt,
    String reason, long rolledBackAt, long version) {}
