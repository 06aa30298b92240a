package dev.sluice.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs a prepared statement over a batch of rows one chunk at a time and, between chunks, hands the
 * core to a thread waiting for it, when the database engine runs inside this process (SQLite).
 *
 * <p>Why: SQLite does its work on the calling store thread, and a ledger batch (up to 500 ledger
 * and 500 request rows, each with its indexes) is several milliseconds of CPU in one
 * {@code executeBatch}. On a 2-core machine an event loop woken on the core that thread holds waited
 * for the scheduler's next tick (up to ~4 ms) while the other core idled: at concurrency 1,
 * {@code perf sched} traced 56 of the 69 event-loop waits over 1 ms, and most of those of the load
 * client and the upstream, to a store thread, and they set the p99 (bench/results/latency-findings.md,
 * section 6). A {@link Thread#yield} after each chunk bounds such a wait to one chunk; with nothing
 * waiting it returns at once. PostgreSQL works in its own process, where one batch is one round trip:
 * one chunk there.
 */
final class ChunkedBatch {
  /** Binds one row's parameters. */
  @FunctionalInterface
  interface Binder<R> {
    void bind(PreparedStatement ps, R row) throws SQLException;
  }

  private ChunkedBatch() {}

  /** Executes {@code ps} once per row in chunks of {@code dialect.batchChunk} rows; the update counts in row order. */
  static <R> int[] execute(Dialect dialect, PreparedStatement ps, List<R> rows, Binder<? super R> binder)
      throws SQLException {
    int chunk = dialect.batchChunk;
    int[] counts = new int[rows.size()];
    int done = 0;
    int pending = 0;
    for (R r : rows) {
      binder.bind(ps, r);
      ps.addBatch();
      if (++pending == chunk) {
        done = append(ps.executeBatch(), counts, done);
        pending = 0;
        if (done < counts.length) {
          Thread.yield();
        }
      }
    }
    if (pending > 0) {
      done = append(ps.executeBatch(), counts, done);
    }
    if (done != counts.length) {
      throw new SQLException("the driver reported " + done + " update counts for " + counts.length + " rows");
    }
    return counts;
  }

  private static int append(int[] chunkCounts, int[] counts, int at) throws SQLException {
    if (at + chunkCounts.length > counts.length) {
      throw new SQLException("the driver reported more update counts than rows");
    }
    System.arraycopy(chunkCounts, 0, counts, at, chunkCounts.length);
    return at + chunkCounts.length;
  }
}
