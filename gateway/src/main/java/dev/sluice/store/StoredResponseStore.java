package dev.sluice.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** Who owns each response OpenAI stores for a passed-through Responses request. JDBC runs on the store's worker pool. */
public interface StoredResponseStore {

  /** Records a response; a second record of the same id keeps the first (its owner does not change). */
  Future<Void> record(StoredResponseRow row);

  /** The row of {@code responseId}; empty when none. */
  Future<Optional<StoredResponseRow>> find(String responseId);

  /** Removes the row of {@code responseId}; completes with whether there was one. */
  Future<Boolean> remove(String responseId);

  /** Deletes up to {@code max} rows recorded before {@code cutoff}; completes with how many. */
  Future<Integer> deleteBefore(Instant cutoff, int max);
}
