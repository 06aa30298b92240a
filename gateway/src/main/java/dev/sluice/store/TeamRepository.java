package dev.sluice.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Teams. All calls run JDBC on the store's worker pool. */
public interface TeamRepository {

  /**
   * Inserts the team or replaces its budget and alert settings; an existing team keeps its
   * original {@code createdAt}. Completes with the team as stored.
   */
  Future<Team> upsert(Team team);

  Future<Optional<Team>> find(String name);

  /** All teams by name. */
  Future<List<Team>> list();
}
