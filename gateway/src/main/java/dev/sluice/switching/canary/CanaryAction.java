package dev.sluice.switching.canary;

import java.util.Locale;

/** What an operator may do to a canary. */
public enum CanaryAction {
  /** Back to {@code start}, ramping, with an empty window (after a rollback, or to start over). */
  RESTART,
  /** Hold the current share: no more steps (a tripped limit still rolls it back). */
  PAUSE,
  /** Go on ramping from the current share, with a fresh window. Refused after a rollback: restart it. */
  RESUME,
  /** To 0% now, as if a limit had tripped. */
  ROLLBACK;

  /** Null for an unknown name. */
  public static CanaryAction of(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
