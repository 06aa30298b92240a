package dev.sluice.store.requestlog;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * The request log: one row per client request, written by the batch writer through
 * {@link BatchStore}; read by the admin API and by each client key for its own requests. All calls
 * run JDBC on the store's worker pool.
 */
public interface RequestLogStore {

  /** A page, newest first (arrival time, then id, descending), bodies left out. */
  Future<RequestPage> list(RequestQuery query);

  /**
   * One request with its bodies and attempts; empty when there is none with that id, or when
   * {@code keyName} is not null and the request is not that key's (indistinguishable by design).
   */
  Future<Optional<RequestDetail>> find(String id, String keyName);

  /** Retention: deletes at most {@code max} requests that arrived before {@code cutoff}; how many it deleted. */
  Future<Integer> deleteBefore(Instant cutoff, int max);

  /** Retention: deletes at most {@code max} stored bodies of requests that arrived before {@code cutoff}. */
  Future<Integer> deleteBodiesBefore(Instant cutoff, int max);
}
