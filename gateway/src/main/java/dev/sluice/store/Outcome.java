package dev.sluice.store;

import java.util.Locale;

/**
 * How one upstream attempt ended, as recorded in the ledger's {@code outcome} column. Only
 * {@link #OK} counts as the answer's cost; every other outcome is overhead (see {@link SpendRow}).
 */
public enum Outcome {
  /** The attempt answered the client. At most one attempt per request should have it. */
  OK,
  /** The attempt failed (the request may still have been answered by a later attempt). */
  ERROR,
  /** The client went away or the request was cancelled while this attempt ran. */
  CANCELLED,
  /** A hedged attempt that finished, or was cut off, after another attempt had won. */
  HEDGE_LOST;

  /** The stored spelling: {@code ok}, {@code error}, {@code cancelled}, {@code hedge_lost}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Outcome parse(String s) {
    return Outcome.valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
