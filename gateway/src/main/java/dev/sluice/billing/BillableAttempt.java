package dev.sluice.billing;

import dev.sluice.core.Target;

/**
 * What billing needs to know of one upstream attempt to price it and write its ledger row. The
 * pipeline's attempts implement it, so billing never sees how a request is executed. Read on the
 * request's event loop, after the attempt ended (or when the request ends).
 */
public interface BillableAttempt {

  Target target();

  /** The configured provider's name (as in the config, not its type). */
  String providerName();

  /** The model entry the attempt served: the requested one, or a fallback. */
  String modelEntry();

  /** The attempt's usage; {@code inputEstimate} stands for the prompt where usage must be estimated. */
  BillableUsage usage(long inputEstimate);

  /** The upstream's HTTP status, 0 when none came. */
  int status();

  /** ok | lost | client_gone | deadline | abandoned | cancelled | pending | an error class. */
  String outcome();

  long latencyNanos();

  /** When the attempt started, wall clock, epoch milliseconds (the request log's timeline). */
  long startedAtMillis();

  /** Negative when no first token came. */
  long ttftNanos();

  boolean hedge();

  boolean retry();
}
