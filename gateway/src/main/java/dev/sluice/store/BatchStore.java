package dev.sluice.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * What the batch writer writes through: ledger rows and request-log rows together. JDBC runs on
 * the store's worker pool.
 */
public interface BatchStore {

  /**
   * Inserts the rows, of either kind, in one transaction, skipping any whose id is already stored
   * in its table ({@code INSERT … ON CONFLICT DO NOTHING}), so writing a batch again is harmless.
   * A request row's bodies go in with it. Completes with the number of rows actually inserted;
   * fails (and inserts none) if the transaction fails.
   */
  Future<Integer> insertBatch(List<? extends BatchRow> rows);

  /**
   * {@link #insertBatch} for a writer that keeps up with its rows: where the database does its work
   * on this process's threads (SQLite), the rows go in a chunk at a time and the thread gives up its
   * core between chunks, so a batch never holds a core an event loop is waiting for longer than one
   * chunk ({@code store/ChunkedBatch}). Slower for the batch when the cores are busy: a writer with
   * a backlog calls {@link #insertBatch}, which writes at full speed.
   */
  default Future<Integer> insertBatchYielding(List<? extends BatchRow> rows) {
    return insertBatch(rows);
  }
}
