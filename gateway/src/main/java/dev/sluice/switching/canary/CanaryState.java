package dev.sluice.switching.canary;

/**
 * A canary's state at one moment. Times are milliseconds since the epoch (shared by replicas and
 * kept across restarts).
 *
 * @param sharePpm the share of the entry's requests sent to the canary now, parts per million
 * @param stepStartedAt when the current step (and its window) started
 * @param reason why it was last rolled back (with the numbers), or null if it never was
 * @param rolledBackAt when it was last rolled back; 0 if it never was
 * @param fingerprint the {@link CanarySpec#fingerprint()} this state belongs to
 * @param version bumped by every transition, for compare-and-set where the state is shared
 */
public record CanaryState(CanaryPhase phase, long sharePpm, long stepStartedAt, CanaryWindow window, String reason,
    long rolledBackAt, String fingerprint, long version) {

  CanaryState next(CanaryPhase phase, long sharePpm, long stepStartedAt, CanaryWindow window) {
    return new CanaryState(phase, sharePpm, stepStartedAt, window, reason, rolledBackAt, fingerprint, version + 1);
  }

  CanaryState withWindow(CanaryWindow w) {
    return new CanaryState(phase, sharePpm, stepStartedAt, w, reason, rolledBackAt, fingerprint, version);
  }

  CanaryState rolledBack(String why, long now) {
    return new CanaryState(CanaryPhase.ROLLED_BACK, 0, stepStartedAt, window, why, now, fingerprint, version + 1);
  }

  /** The share as a percentage, for people. */
  public double percent() {
    return sharePpm / 10_000.0;
  }
}
