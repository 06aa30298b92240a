package dev.sluice.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** The recorded shadow pairs. JDBC runs on the store's worker pool. */
public interface ShadowPairStore {

  /** Inserts the pairs in one transaction, skipping any already stored; completes with how many were inserted. */
  Future<Integer> insert(List<ShadowPairRow> rows);

  /** Pairs with {@code from <= ts < to}, of {@code modelEntry} when it is not null, oldest first. */
  Future<List<ShadowPairRow>> between(String modelEntry, Instant from, Instant to);

  /** Deletes up to {@code max} pairs older than {@code cutoff}; completes with how many. */
  Future<Integer> deleteBefore(Instant cutoff, int max);
}
