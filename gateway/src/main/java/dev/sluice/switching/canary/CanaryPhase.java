package dev.sluice.switching.canary;

import java.util.Locale;

/** Where a canary stands. */
public enum CanaryPhase {
  /** Growing by a step every {@code every} while its window has enough requests and none of the limits tripped. */
  RAMPING,
  /** At {@code max}; still watched, and rolled back if a limit trips. */
  COMPLETE,
  /** Held at its share by an operator: no steps, still rolled back if a limit trips. */
  PAUSED,
  /** At 0% after a limit tripped (or an operator said so), until restarted or its config changes. */
  ROLLED_BACK;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CanaryPhase of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
