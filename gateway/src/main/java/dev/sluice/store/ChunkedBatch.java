package dev.sluice.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs a prepared statement over a batch of rows a chunk at a time and, between chunks, hands the
 * core to any thread waiting for it.
 *
 * <p>Why: SQLite does its work on the calling store thread, and a ledger batch (up to 500 ledger
 * and 500 request rows, each with its indexes) is several milliseconds of CPU in one
 * {@code executeBatch}. On a 2-core machine an event loop woken on the core that thread held waited
 * for the scheduler's next tick (up to ~4 ms) while the other core idled: at concurrency 1,
 * {@code perf sched} traced most run-queue waits over 1 ms of the event loop, the load client and the
 * upstream to a store thread, and they set the p99 (bench/results/latency-findings.md, section 6). A
 * {@link Thread#yield} after each chunk bounds such a wait to one chunk; with nothing waiting it
 * returns at once. The price is the writer's own pace when the cores are saturated (each yield lets
 * the event loops run first), which is why only a writer that keeps up asks for chunks
 * ({@link BatchStore#insertBatchYielding}).
 */
final class ChunkedBatch {
  /** A chunk size that makes the whole batch one execution, without yielding. */
  static final int WHOLE = Integer.MAX_VALUE;

  private ChunkedBatch() {}

  /** Executes {@code ps} once per row, {@code chunk} rows per {@code executeBatch}; the update counts in row order. */
  static <R> int[] execute(PreparedStatement ps, List<R> rows, int chunk, RowParams.Binder<? super R> binder)
      throws SQLException {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1: " + chunk);
    }
    int[] counts = new int[rows.size()];
    int done = 0;
    int pending = 0;
    StatementParams params = new StatementParams(ps);
    for (R r : rows) {
      params.row(binder, r);
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
