package dev.sluice.store;

import java.util.Locale;

/**
 * How the attempt that answered a request was routed, in the ledger's {@code route} column (V9):
 * set on that one row by the accountant, {@code null} on every other row of the request and on rows
 * written before V9. What the routing savings count.
 */
public enum AnswerRoute {
  /** Answered by its model entry's first configured target. */
  FIRST,
  /** Answered by another target of its model entry: a fallback, or one the routing policy picked. */
  REROUTED,
  /** A direct {@code provider/model} request: no model entry, so not routed. */
  DIRECT;

  /** The stored spelling: {@code first}, {@code rerouted}, {@code direct}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AnswerRoute parse(String s) {
    return AnswerRoute.valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
