package dev.sluice.switching.canary;

import io.vertx.core.Future;
import java.util.Map;

/**
 * Durable copies of canary states, so a canary keeps its share and a rollback stays rolled back
 * across a restart. Only transitions are saved (the window's counts are not: after a restart the
 * window starts empty). Calls must not block the caller's thread.
 */
public interface CanaryPersistence {

  /** Every saved state by model entry name (without its window). */
  Future<Map<String, CanaryState>> loadAll();

  Future<Void> save(String entry, CanaryState state);

  /** Keeps nothing (tests, and replicas whose states live in Redis). */
  CanaryPersistence NONE = new CanaryPersistence() {
    @Override
    public Future<Map<String, CanaryState>> loadAll() {
      return Future.succeededFuture(Map.of());
    }

    @Override
    public Future<Void> save(String entry, CanaryState state) {
      return Future.succeededFuture();
    }
  };
}
