package dev.sluice.admission;

/** Strict priority classes of the {@link AdmissionQueue}: every HIGH waiter goes before any NORMAL. */
public enum Priority {
  HIGH,
  NORMAL,
  LOW;

  /** 0 = high, 1 = normal, 2 = low. */
  public static Priority of(int level) {
    if (level < 0 || level > 2) {
      throw new IllegalArgumentException("priority is 0 (high) .. 2 (low): " + level);
    }
    return values()[level];
  }
}
