package dev.sluice.server;

import java.util.Map;

/**
 * What the admin API may see of a running gateway. Read-only views and checks; thread-safe.
 * Implemented by the gateway; admin routes receive it when they are mounted.
 */
public interface GatewayView {

  /** Circuit breaker state per target ({@code provider/model} → CLOSED | OPEN | HALF_OPEN). */
  Map<String, String> breakerStates();

  /** Whether {@code presented} is the configured master key (constant time); false when none is set. */
  boolean isMasterKey(String presented);

  /** Whether a master key is configured at all (the admin API is off without one). */
  boolean hasMasterKey();

  /** Keys, teams and the ledger. */
  dev.sluice.store.Store store();
}
