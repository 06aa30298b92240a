package dev.sluice.store;

import io.vertx.core.Future;
import java.util.List;

/** Canary states of the model entries, kept across restarts. */
public interface CanaryStateStore {

  Future<List<CanaryRow>> list();

  /** Inserts or replaces the row of {@code row.model()}, unless the stored one has a newer (or the same) version. */
  Future<Void> save(CanaryRow row);
}
