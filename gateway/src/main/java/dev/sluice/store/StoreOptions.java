package dev.sluice.store;

import java.time.Duration;

/**
 * Tuning for {@link Store#open}.
 *
 * @param connections PostgreSQL: connections in the pool (and worker threads); SQLite: reader
 *     connections besides the one writer
 * @param busyTimeout SQLite: how long a write waits for another process's lock; PostgreSQL: how
 *     long a call waits for a free connection (also the connect timeout)
 */
public record StoreOptions(int connections, Duration busyTimeout) {

  public StoreOptions {
    if (connections < 1 || connections > 64) {
      throw new IllegalArgumentException("connections must be within 1..64: " + connections);
    }
    if (busyTimeout.isNegative() || busyTimeout.isZero()) {
      throw new IllegalArgumentException("busyTimeout must be positive: " + busyTimeout);
    }
  }

  /** Four connections (two SQLite readers would do; four suits PostgreSQL on a small host), 5 s. */
  public static StoreOptions defaults() {
    return new StoreOptions(4, Duration.ofSeconds(5));
  }
}
